import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";

/** A small pipeline for the end-to-end tests: one topic, two queues, one of them filtered. */
export async function seedPipeline(endpoint: string) {
  const common = { region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const sns = new SNSClient(common);
  const sqs = new SQSClient(common);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "e2e-orders" }))).TopicArn!;
  const subscribe = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    return (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: "true", ...attributes }, ReturnSubscriptionArn: true })))
      .SubscriptionArn!;
  };
  const inventory = await subscribe("e2e-inventory", { FilterPolicy: JSON.stringify({ eventType: ["order.placed", "order.cancelled"] }) });
  const audit = await subscribe("e2e-audit", {});
  return { topicArn, inventorySubscriptionArn: inventory, auditSubscriptionArn: audit };
}
