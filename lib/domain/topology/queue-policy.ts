import { isRecord } from "../is-record";

/**
 * Does a queue's access policy let an SNS topic send to it? SNS delivers to SQS as the service
 * principal sns.amazonaws.com, so the queue policy must allow sqs:SendMessage for it, usually
 * scoped with an aws:SourceArn condition naming the topic (SNS Developer Guide, "Subscribing an
 * Amazon SQS queue to an Amazon SNS topic", step "Give permission to the Amazon SNS topic to send
 * messages to the Amazon SQS queue").
 *
 * This is a lint, not an IAM evaluator: explicit Deny statements, NotAction/NotPrincipal and
 * condition keys other than aws:SourceArn are not evaluated (other keys are assumed satisfied).
 */

export type QueuePolicyVerdict = { allowed: true } | { allowed: false; reason: string };

export function queuePolicyAllowsTopic(
  policyText: string | undefined,
  topicArn: string,
  queueArn?: string,
): QueuePolicyVerdict {
  if (policyText === undefined || policyText.trim() === "")
    return { allowed: false, reason: "the queue has no access policy" };
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return { allowed: false, reason: "the queue's access policy is not valid JSON" };
  }
  if (!isRecord(policy)) return { allowed: false, reason: "the queue's access policy is not a JSON object" };
  const statements = asArray(policy.Statement).filter(isRecord);
  const allows = statements.some(
    (s) =>
      s.Effect === "Allow" &&
      actionAllowsSend(s.Action) &&
      principalIsSns(s.Principal) &&
      (queueArn === undefined ||
        s.Resource === undefined ||
        asArray(s.Resource).some((r) => typeof r === "string" && arnMatches(r, queueArn))) &&
      conditionAdmits(s.Condition, topicArn),
  );
  return allows
    ? { allowed: true }
    : { allowed: false, reason: "no statement allows sns.amazonaws.com to send messages from this topic" };
}

/** IAM action names are case-insensitive and may use wildcards ("sqs:Send*", "sqs:*", "*"). */
function actionAllowsSend(action: unknown): boolean {
  return asArray(action).some((a) => typeof a === "string" && globMatch(a.toLowerCase(), "sqs:sendmessage"));
}

function principalIsSns(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isRecord(principal)) return false;
  const aws = asArray(principal.AWS);
  const service = asArray(principal.Service);
  return aws.includes("*") || service.includes("sns.amazonaws.com");
}

/**
 * True when the statement has no aws:SourceArn condition, or one whose operator is ArnEquals,
 * ArnLike, StringEquals or StringLike (or their IfExists forms) with a value matching the topic.
 * Several values under one key are ORed (IAM User Guide, "Creating a condition with multiple keys
 * or values").
 */
function conditionAdmits(condition: unknown, topicArn: string): boolean {
  if (!isRecord(condition)) return true;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isRecord(block)) continue;
    for (const [key, values] of Object.entries(block)) {
      // Condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition").
      if (key.toLowerCase() !== "aws:sourcearn") continue;
      const op = operator.toLowerCase().replace(/ifexists$/, "");
      const patterns = asArray(values).filter((v): v is string => typeof v === "string");
      const match =
        op === "arnequals" || op === "arnlike"
          ? // Both ARN operators accept * and ? in each ARN component (IAM User Guide, "ARN condition operators").
            patterns.some((p) => arnMatches(p, topicArn))
          : op === "stringequals"
            ? patterns.includes(topicArn)
            : op === "stringlike"
              ? patterns.some((p) => globMatch(p, topicArn))
              : false; // ArnNotEquals, StringNotLike…: treated as not admitting the topic.
      if (!match) return false;
    }
  }
  return true;
}

/** ARN matching component by component, so a * does not run across colons (IAM User Guide, "ARN condition operators"). */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  return p.length === a.length && p.every((part, i) => globMatch(part, a[i] ?? ""));
}

/** The six ARN components; the last (the resource) may itself contain colons. */
function splitArn(arn: string): string[] {
  const parts = arn.split(":");
  return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** `*` matches any run of characters, `?` exactly one. */
export function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === text;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(text);
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
