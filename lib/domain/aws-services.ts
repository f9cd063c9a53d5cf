/** AWS services the console talks to, keyed by the SDK's service id used in `AWS_ENDPOINT_URL_<ID>`. */
export const awsServices = ["sns", "sqs", "cloudwatch", "xray", "lambda", "sts"] as const;
export type AwsService = (typeof awsServices)[number];
