import { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/**
 * The accounts of the local run. One moto serves any number of accounts: what a client creates
 * belongs to the account of its credentials, and credentials from sts:AssumeRole belong to the
 * role's account (docs/local-aws.md). So an environment in another account is reached as on AWS:
 * the account's administrator creates a role the console may assume, and the console assumes it.
 */

/** moto's default account: where any key it has not issued signs (the console's own account here). */
export const defaultAccountId = "123456789012";

/** A key moto has not issued, which therefore acts in its default account. */
export const defaultAccountCredentials = { accessKeyId: "test", secretAccessKey: "test" };

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * The trust policy of a role that principals of `trustedAccountId` may assume only with the external
 * id (IAM User Guide, "Access to AWS accounts owned by third parties"; the `sts:ExternalId` condition key).
 */
export function assumableRoleTrustPolicy(trustedAccountId: string, externalId: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${trustedAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ],
  };
}

/**
 * Creates a role in `accountId` that `trustedAccountId` may assume with `externalId`, as the
 * account's administrator would before the console is configured; returns its ARN. moto takes the
 * account from its `x-moto-account-id` header, which stands in for the administrator's credentials.
 * moto checks neither the trust policy nor the external id on AssumeRole: the role documents the
 * setup AWS needs. Its permissions (the console's IAM actions) are left out for the same reason.
 */
export async function createAssumableRole(options: {
  awsEndpoint: string;
  accountId: string;
  region: string;
  roleName: string;
  trustedAccountId: string;
  externalId: string;
}): Promise<string> {
  const cloudformation = new CloudFormationClient({
    region: options.region,
    endpoint: options.awsEndpoint,
    credentials: defaultAccountCredentials,
  });
  cloudformation.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = options.accountId;
      return next(args);
    },
    { step: "build", name: "fanoutAccountAdministrator" },
  );
  await cloudformation.send(
    new CreateStackCommand({
      StackName: `${options.roleName}-role`,
      TemplateBody: JSON.stringify({
        Resources: {
          Role: {
            Type: "AWS::IAM::Role",
            Properties: {
              RoleName: options.roleName,
              AssumeRolePolicyDocument: assumableRoleTrustPolicy(options.trustedAccountId, options.externalId),
            },
          },
        },
      }),
    }),
  );
  return `arn:aws:iam::${options.accountId}:role/${options.roleName}`;
}

/**
 * A credentials function for SDK clients: the role's temporary credentials, assumed with the default
 * account's key (STS API Reference, AssumeRole). The SDK keeps what such a function returns and calls
 * it again 5 minutes before the expiration it carries, so every client renews the role by itself.
 */
export function assumedRoleCredentials(options: {
  awsEndpoint: string;
  region: string;
  roleArn: string;
  externalId?: string;
  sessionName: string;
}): () => Promise<TemporaryCredentials> {
  const sts = new STSClient({
    region: options.region,
    endpoint: options.awsEndpoint,
    credentials: defaultAccountCredentials,
  });
  return async () => {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        ExternalId: options.externalId,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${options.roleArn} gave no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
}
