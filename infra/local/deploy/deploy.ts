import { spawnSync } from "node:child_process";
import path from "node:path";
import {
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type CloudFormationClient,
} from "@aws-sdk/client-cloudformation";
import { PutDashboardCommand, PutMetricAlarmCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { deploymentOrder, evaluateConditions, resolve, TemplateError, type Json } from "./intrinsics";
import type { LocalLambda } from "../lambda/lambda-service";
import { projectRoot } from "../../../scripts/lib/project-root";
import { venvBin } from "../emulator/venv";

/**
 * Deploys `infra/template.yaml` to the local run, resource by resource, so that every resource of
 * the template exists on the endpoint that serves its service:
 *
 * - The SAM template is translated offline to CloudFormation (aws-sam-translator, translate.py).
 * - SNS, SQS and CloudWatch resources are created through their own APIs on moto: its
 *   CloudFormation silently skips subscriptions, queue policies and alarms.
 * - IAM roles go through moto's CloudFormation (the one service the console has no client for).
 * - Lambda functions and event source mappings go to the local Lambda service only: moto would
 *   consume mapped queues by itself.
 *
 * Intrinsic functions are resolved here (intrinsics.ts) with the values each creation returned.
 */

export interface CfnResource {
  Type: string;
  Properties?: { [key: string]: Json };
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: { [key: string]: Json };
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: string | number }>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: Json }>;
}

export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  attributes: Record<string, string>;
  /** The properties as deployed, every intrinsic function resolved. */
  properties: { [key: string]: Json };
}

export interface Deployment {
  environmentName: string;
  parameters: Record<string, string>;
  resources: Record<string, DeployedResource>;
  outputs: Record<string, string>;
  /** Resources of the template the local run does not create, with why. */
  skipped: { logicalId: string; type: string; reason: string }[];
}

export interface DeployClients {
  sns: SNSClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  cloudformation: CloudFormationClient;
}

export const templatePath = path.join(projectRoot, "infra/template.yaml");

/** The parameter set for running locally: a poison message reaches its DLQ in well under a minute. */
export const localParameters: Record<string, string> = {
  VisibilityTimeout: "10",
  MaxReceiveCount: "3",
  FunctionTimeout: "10",
};

/**
 * Resource types the local run leaves out, with the note it logs. Nothing else in the template
 * refers to them, so the rest deploys unchanged.
 */
export const skippedLocally: Record<string, string> = {
  // moto 5.2.3 has no X-Ray PutResourcePolicy; locally the pipeline's own tracing (tracing.ts) writes
  // the segments, so nothing needs SNS's permission to call X-Ray.
  "AWS::XRay::ResourcePolicy":
    "not created: moto has no X-Ray resource policies, and locally no SNS service writes segments that would need one",
};

/** SAM → CloudFormation, offline, with each function's local code directory kept in its Metadata. */
export function translateTemplate(file = templatePath): CfnTemplate {
  const result = spawnSync(venvBin("python"), [path.join(projectRoot, "infra/local/deploy/translate.py"), file], {
    encoding: "utf8",
    env: { ...process.env, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION ?? "us-east-1" },
  });
  if (result.status !== 0) throw new TemplateError(`translating ${file} failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as CfnTemplate;
}

const str = (value: Json | undefined): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
const tagsOf = (tags: Json | undefined) =>
  ((tags as Array<{ Key: string; Value: string }> | undefined) ?? []).map(({ Key, Value }) => ({ Key, Value }));

function attributeStrings(props: { [key: string]: Json }, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = props[name];
    if (value !== undefined && value !== null)
      out[name] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return out;
}

type Creator = (
  logicalId: string,
  props: { [key: string]: Json },
  resource: CfnResource,
) => Promise<Omit<DeployedResource, "logicalId" | "type" | "properties">>;

export async function deployTemplate(
  template: CfnTemplate,
  options: {
    clients: DeployClients;
    lambda: LocalLambda;
    region: string;
    accountId: string;
    parameters?: Record<string, string>;
    log?: (line: string) => void;
  },
): Promise<Deployment> {
  const { clients, lambda, region, accountId } = options;
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value =
      options.parameters?.[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (value === undefined) throw new TemplateError(`parameter ${name} has no value and no default`);
    values[name] = value;
  }
  const environmentName = values.EnvironmentName ?? "fanout";
  Object.assign(values, {
    "AWS::Region": region,
    "AWS::AccountId": accountId,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": environmentName,
    "AWS::StackId": `arn:aws:cloudformation:${region}:${accountId}:stack/${environmentName}/local`,
  });
  const conditions = evaluateConditions(template.Conditions ?? {}, values);
  const deployed: Record<string, DeployedResource> = {};
  const lookup = (id: string) => {
    const resource = deployed[id];
    if (!resource) throw new TemplateError(`${id} is referred to before it exists`);
    return resource;
  };
  const ctx = {
    values,
    condition: (name: string) => {
      if (!(name in conditions)) throw new TemplateError(`unknown condition ${name}`);
      return conditions[name]!;
    },
    ref: (id: string) => lookup(id).physicalId,
    getAtt: (id: string, attribute: string) => {
      const value = lookup(id).attributes[attribute];
      if (value === undefined) throw new TemplateError(`${id} has no attribute ${attribute} in the local deployment`);
      return value;
    },
  };

  const creators: Record<string, Creator> = {
    "AWS::SNS::Topic": async (_id, p) => {
      const name = str(p.TopicName) ?? `${environmentName}-${_id}${p.FifoTopic ? ".fifo" : ""}`;
      const { TopicArn } = await clients.sns.send(
        new CreateTopicCommand({
          Name: name,
          Attributes: attributeStrings(p, [
            "FifoTopic",
            "ContentBasedDeduplication",
            "KmsMasterKeyId",
            "DisplayName",
            "TracingConfig",
          ]),
          Tags: tagsOf(p.Tags),
        }),
      );
      return { physicalId: TopicArn!, attributes: { TopicArn: TopicArn!, TopicName: name } };
    },
    "AWS::SQS::Queue": async (id, p) => {
      const name = str(p.QueueName) ?? `${environmentName}-${id}${p.FifoQueue ? ".fifo" : ""}`;
      const attributes = attributeStrings(p, [
        "FifoQueue",
        "ContentBasedDeduplication",
        "DeduplicationScope",
        "FifoThroughputLimit",
        "VisibilityTimeout",
        "MessageRetentionPeriod",
        "DelaySeconds",
        "MaximumMessageSize",
        "ReceiveMessageWaitTimeSeconds",
        "RedrivePolicy",
        "RedriveAllowPolicy",
        "SqsManagedSseEnabled",
        "KmsMasterKeyId",
        "KmsDataKeyReusePeriodSeconds",
      ]);
      // CloudFormation's property names are the queue attribute names, with one exception.
      if (attributes.DelaySeconds === undefined && p.DelaySeconds !== undefined)
        attributes.DelaySeconds = String(p.DelaySeconds);
      const { QueueUrl } = await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: attributes,
          tags: Object.fromEntries(tagsOf(p.Tags).map((t) => [t.Key, t.Value])),
        }),
      );
      const { Attributes } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      return {
        physicalId: QueueUrl!,
        attributes: { Arn: Attributes!.QueueArn!, QueueName: name, QueueUrl: QueueUrl! },
      };
    },
    "AWS::SQS::QueuePolicy": async (id, p) => {
      for (const queueUrl of p.Queues as string[]) {
        await clients.sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: queueUrl,
            Attributes: { Policy: JSON.stringify(p.PolicyDocument) },
          }),
        );
      }
      return { physicalId: `${environmentName}-${id}`, attributes: {} };
    },
    "AWS::SNS::Subscription": async (_id, p) => {
      const attributes = attributeStrings(p, [
        "RawMessageDelivery",
        "FilterPolicy",
        "FilterPolicyScope",
        "RedrivePolicy",
        "DeliveryPolicy",
      ]);
      const { SubscriptionArn } = await clients.sns.send(
        new SubscribeCommand({
          TopicArn: str(p.TopicArn),
          Protocol: str(p.Protocol),
          Endpoint: str(p.Endpoint),
          Attributes: attributes,
          ReturnSubscriptionArn: true,
        }),
      );
      return { physicalId: SubscriptionArn!, attributes: {} };
    },
    "AWS::CloudWatch::Alarm": async (id, p) => {
      const name = str(p.AlarmName) ?? `${environmentName}-${id}`;
      await clients.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          AlarmDescription: str(p.AlarmDescription),
          ActionsEnabled: p.ActionsEnabled as boolean | undefined,
          AlarmActions: p.AlarmActions as string[] | undefined,
          OKActions: p.OKActions as string[] | undefined,
          InsufficientDataActions: p.InsufficientDataActions as string[] | undefined,
          MetricName: str(p.MetricName),
          Namespace: str(p.Namespace),
          Statistic: p.Statistic as never,
          ExtendedStatistic: str(p.ExtendedStatistic),
          Dimensions: p.Dimensions as Array<{ Name: string; Value: string }> | undefined,
          Period: p.Period === undefined ? undefined : Number(p.Period),
          Unit: p.Unit as never,
          EvaluationPeriods: Number(p.EvaluationPeriods),
          DatapointsToAlarm: p.DatapointsToAlarm === undefined ? undefined : Number(p.DatapointsToAlarm),
          Threshold: p.Threshold === undefined ? undefined : Number(p.Threshold),
          ComparisonOperator: p.ComparisonOperator as never,
          TreatMissingData: str(p.TreatMissingData),
          Metrics: p.Metrics as never,
        }),
      );
      return { physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}` } };
    },
    "AWS::CloudWatch::Dashboard": async (id, p) => {
      const name = str(p.DashboardName) ?? `${environmentName}-${id}`;
      await clients.cloudwatch.send(
        new PutDashboardCommand({ DashboardName: name, DashboardBody: str(p.DashboardBody) }),
      );
      return { physicalId: name, attributes: {} };
    },
    "AWS::IAM::Role": async (id, p) => {
      const stackName = `${environmentName}-${id}`;
      await clients.cloudformation.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: JSON.stringify({ Resources: { [id]: { Type: "AWS::IAM::Role", Properties: p } } }),
          Capabilities: ["CAPABILITY_IAM"],
        }),
      );
      for (let attempt = 0; ; attempt++) {
        const status = (await clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName })))
          .Stacks?.[0]?.StackStatus;
        if (status === "CREATE_COMPLETE") break;
        if (attempt > 50 || (status && status !== "CREATE_IN_PROGRESS"))
          throw new TemplateError(`IAM role stack ${stackName}: ${status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const resources = await clients.cloudformation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
      const roleName = resources.StackResources?.find((r) => r.LogicalResourceId === id)?.PhysicalResourceId;
      if (!roleName) throw new TemplateError(`IAM role ${id} was not created`);
      return {
        physicalId: roleName,
        attributes: { Arn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleId: roleName },
      };
    },
    "AWS::Lambda::Function": async (id, p, resource) => {
      const codeDir = str(resource.Metadata?.FanoutLocalCodeUri);
      if (!codeDir)
        throw new TemplateError(`${id} has no local code directory (Metadata.FanoutLocalCodeUri from translate.py)`);
      const configuration = lambda.createFunction({
        FunctionName: str(p.FunctionName) ?? `${environmentName}-${id}`,
        Runtime: str(p.Runtime),
        Role: str(p.Role)!,
        Handler: str(p.Handler)!,
        Timeout: p.Timeout === undefined ? undefined : Number(p.Timeout),
        MemorySize: p.MemorySize === undefined ? undefined : Number(p.MemorySize),
        Description: str(p.Description),
        TracingConfig: p.TracingConfig as { Mode: "Active" | "PassThrough" } | undefined,
        Environment: p.Environment as { Variables: Record<string, string> } | undefined,
        Tags: Object.fromEntries(tagsOf(p.Tags).map((t) => [t.Key, t.Value])),
        Code: { S3Bucket: "fanout-local", S3Key: codeDir },
      });
      return { physicalId: configuration.FunctionName, attributes: { Arn: configuration.FunctionArn } };
    },
    "AWS::Lambda::EventSourceMapping": async (_id, p) => {
      const scaling = p.ScalingConfig as { MaximumConcurrency?: Json } | undefined;
      const mapping = lambda.createEventSourceMapping({
        FunctionName: str(p.FunctionName)!,
        EventSourceArn: str(p.EventSourceArn)!,
        BatchSize: p.BatchSize === undefined ? undefined : Number(p.BatchSize),
        MaximumBatchingWindowInSeconds:
          p.MaximumBatchingWindowInSeconds === undefined ? undefined : Number(p.MaximumBatchingWindowInSeconds),
        FunctionResponseTypes: p.FunctionResponseTypes as string[] | undefined,
        ScalingConfig:
          scaling?.MaximumConcurrency === undefined
            ? undefined
            : { MaximumConcurrency: Number(scaling.MaximumConcurrency) },
        Enabled: p.Enabled === undefined ? undefined : p.Enabled === true || p.Enabled === "true",
      });
      return { physicalId: mapping.UUID, attributes: { Id: mapping.UUID } };
    },
  };

  const skipped: Deployment["skipped"] = [];
  const order = deploymentOrder(template.Resources, new Set(Object.keys(template.Parameters ?? {})));
  for (const id of order) {
    const resource = template.Resources[id]!;
    if (resource.Condition && !ctx.condition(resource.Condition)) continue;
    const skipReason = skippedLocally[resource.Type];
    if (skipReason !== undefined) {
      skipped.push({ logicalId: id, type: resource.Type, reason: skipReason });
      options.log?.(`${id} (${resource.Type}) ${skipReason}`);
      continue;
    }
    const create = creators[resource.Type];
    if (!create) throw new TemplateError(`${id}: the local run cannot deploy ${resource.Type}`);
    const properties = resolve(resource.Properties ?? {}, ctx) as { [key: string]: Json };
    try {
      deployed[id] = { logicalId: id, type: resource.Type, properties, ...(await create(id, properties, resource)) };
    } catch (err) {
      throw new TemplateError(
        `deploying ${id} (${resource.Type}) failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const value = resolve(output.Value, ctx);
    outputs[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { environmentName, parameters: values, resources: deployed, outputs, skipped };
}
