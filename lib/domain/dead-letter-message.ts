import type { FilterMessage, FilterPolicyScope, MessageAttribute } from "./filter-policy";
import { isRecord } from "./is-record";

/**
 * A dead letter as the console shows it: SQS system attributes decoded, the body parsed, an SNS
 * envelope recognised, and secrets masked before anything leaves the server. Pure and free of
 * Node APIs: the browser bundles it too (search, filter-policy preview).
 */

export interface SqsAttributeValue {
  dataType: string;
  stringValue?: string;
  /** Base64. */
  binaryValue?: string;
}

/** A message as received from SQS, plain data (the AWS layer converts the SDK shape to this). */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /**
   * System attributes as SQS returns them: SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp,
   * MessageGroupId, MessageDeduplicationId, SequenceNumber, DeadLetterQueueSourceArn, AWSTraceHeader, SenderId
   * (all strings; epoch millis for timestamps).
   */
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsAttributeValue>;
}

export interface SnsEnvelope {
  messageId?: string;
  topicArn?: string;
  subject?: string;
  timestamp?: string;
  message: string;
  /** Present when `message` parses as JSON. */
  messageJson?: unknown;
  attributes: Record<string, { type: string; value: string }>;
}

export interface DeadLetterSystem {
  sentAt?: string;
  receiveCount?: number;
  firstReceivedAt?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  sourceArn?: string;
  traceHeader?: string;
  senderId?: string;
}

export interface DeadLetterMessage {
  messageId: string;
  /** Raw text; with payload masking rules, re-serialized (compact) from the masked JSON, or a placeholder (see `withheld`). */
  body: string;
  /** Present when body parses as JSON. */
  bodyJson?: unknown;
  /** Present when bodyJson is an SNS notification envelope (Type "Notification" with a string Message). */
  sns?: SnsEnvelope;
  attributes: Record<string, SqsAttributeValue>;
  /** ISO strings for timestamps. */
  system: DeadLetterSystem;
  /** When SQS deletes it for age; see expiresAtOf. */
  expiresAt?: string;
  /**
   * Paths masked by the server, in the syntax of MaskRules (e.g. "payload.customer.email", "attribute.authorization");
   * "payload" alone when the whole payload is.
   */
  masked: string[];
  /** Present when masking rules exist but this payload could not be parsed: `body` (or the SNS Message) is then a placeholder. */
  withheld?: Withheld;
}

/** A payload the server did not show because its masking rules could not be applied to it. */
export interface Withheld {
  /** Which text was replaced by the placeholder. */
  part: "body" | "sns.message";
  /** "not JSON", or nested deeper than MAX_JSON_DEPTH. */
  reason: string;
  /** Its size in UTF-8 bytes. */
  bytes: number;
}

export interface MaskRules {
  payloadPaths: string[];
  attributeNames: string[];
}

/** What a masked value is replaced with. */
export const MASK = "••••";

/** The whole payload, as a path in `masked`; its fields are under PAYLOAD_PREFIX. */
const PAYLOAD_ROOT = "payload";
const PAYLOAD_PREFIX = `${PAYLOAD_ROOT}.`;
const ATTRIBUTE_PREFIX = "attribute.";

// ---- decoding ------------------------------------------------------------------------------------

export function decodeMessage(
  m: ReceivedMessage,
  opts: { retentionSeconds: number; fifo: boolean },
): DeadLetterMessage {
  // Typed input, but it comes off the wire: tolerate missing parts rather than throw.
  const attrs: Record<string, string> = isRecord(m.attributes) ? (m.attributes as Record<string, string>) : {};
  const text = typeof m.body === "string" ? m.body : "";
  const sentMs = epochMillis(attrs.SentTimestamp);

  const system: DeadLetterSystem = {};
  const sentAt = isoOf(sentMs);
  if (sentAt) system.sentAt = sentAt;
  const receiveCount = Number(attrs.ApproximateReceiveCount);
  if (attrs.ApproximateReceiveCount !== undefined && Number.isInteger(receiveCount) && receiveCount >= 0)
    system.receiveCount = receiveCount;
  const firstReceivedAt = isoOf(epochMillis(attrs.ApproximateFirstReceiveTimestamp));
  if (firstReceivedAt) system.firstReceivedAt = firstReceivedAt;
  const strings: [keyof DeadLetterSystem, string][] = [
    ["groupId", "MessageGroupId"],
    ["deduplicationId", "MessageDeduplicationId"],
    ["sequenceNumber", "SequenceNumber"],
    ["sourceArn", "DeadLetterQueueSourceArn"],
    ["traceHeader", "AWSTraceHeader"],
    ["senderId", "SenderId"],
  ];
  for (const [key, name] of strings) {
    const value = attrs[name];
    if (typeof value === "string") (system as Record<string, unknown>)[key] = value;
  }

  const attributes: Record<string, SqsAttributeValue> = {};
  if (isRecord(m.messageAttributes)) {
    for (const [name, value] of Object.entries(m.messageAttributes)) {
      if (!isRecord(value)) continue;
      const a: SqsAttributeValue = { dataType: typeof value.dataType === "string" ? value.dataType : "String" };
      if (typeof value.stringValue === "string") a.stringValue = value.stringValue;
      if (typeof value.binaryValue === "string") a.binaryValue = value.binaryValue;
      defineEntry(attributes, name, a);
    }
  }

  const decoded: DeadLetterMessage = {
    messageId: typeof m.messageId === "string" ? m.messageId : "",
    body: text,
    attributes,
    system,
    masked: [],
  };
  const parsed = parseJson(text);
  if (parsed.ok) {
    decoded.bodyJson = parsed.value;
    const sns = snsEnvelopeOf(parsed.value);
    if (sns) decoded.sns = sns;
  }
  // FIFO: SQS resets the enqueue timestamp when it moves a message to the DLQ, and no attribute
  // says when that was, so the expiry is unknown (SQS Developer Guide, "Using dead-letter queues in Amazon SQS").
  const expiresAt = opts.fifo ? undefined : expiresAtOf(sentMs, opts.retentionSeconds);
  if (expiresAt) decoded.expiresAt = expiresAt;
  return decoded;
}

/**
 * When SQS deletes a dead letter for age. On a standard queue a dead letter keeps its original
 * enqueue timestamp, so its clock started when it was first sent to the source queue, not when it
 * was dead-lettered (SQS Developer Guide, "Using dead-letter queues in Amazon SQS"); that is why a
 * DLQ's retention period should be longer than its source queue's.
 */
export function expiresAtOf(sentTimestampMs: number | undefined, retentionSeconds: number): string | undefined {
  if (sentTimestampMs === undefined || !Number.isFinite(retentionSeconds)) return undefined;
  return isoOf(sentTimestampMs + retentionSeconds * 1000);
}

/** The SNS notification envelope (SNS Developer Guide, "Amazon SNS message and JSON formats"), or undefined. */
function snsEnvelopeOf(json: unknown): SnsEnvelope | undefined {
  if (!isRecord(json) || json.Type !== "Notification" || typeof json.Message !== "string") return undefined;
  const sns: SnsEnvelope = { message: json.Message, attributes: {} };
  if (typeof json.MessageId === "string") sns.messageId = json.MessageId;
  if (typeof json.TopicArn === "string") sns.topicArn = json.TopicArn;
  if (typeof json.Subject === "string") sns.subject = json.Subject;
  if (typeof json.Timestamp === "string") sns.timestamp = json.Timestamp;
  const parsed = parseJson(json.Message);
  if (parsed.ok) sns.messageJson = parsed.value;
  if (isRecord(json.MessageAttributes)) {
    for (const [name, a] of Object.entries(json.MessageAttributes)) {
      if (isRecord(a) && typeof a.Type === "string" && typeof a.Value === "string")
        defineEntry(sns.attributes, name, { type: a.Type, value: a.Value });
    }
  }
  return sns;
}

// ---- masking -------------------------------------------------------------------------------------

/** Comma-separated lists, as an operator types them; a leading "$." or "payload." on a field path is optional. */
export function parseMaskRules(fields: string, attributes: string): MaskRules {
  const list = (text: string) =>
    text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  const payloadPaths = list(fields)
    .map((p) =>
      (p.startsWith("$.") ? p.slice(2) : p.startsWith(PAYLOAD_PREFIX) ? p.slice(PAYLOAD_PREFIX.length) : p).trim(),
    )
    .filter((p) => p !== "");
  return { payloadPaths, attributeNames: list(attributes) };
}

/** Field paths with an empty segment ("a..b", "a."): they would never match, so configuration refuses them. */
export function pathsWithEmptySegment(rules: MaskRules): string[] {
  return rules.payloadPaths.filter((path) => path.split(".").some((segment) => segment === ""));
}

/**
 * A copy with every value at a payload path and every named attribute replaced by MASK, and the
 * texts that embed them (body, SNS Message, the envelope in bodyJson) re-serialized, so that the
 * secret appears nowhere in the result. `masked` lists the concrete paths masked.
 *
 * It never fails open: once any payload rule exists, the body shown is always re-serialized from
 * the masked value (a raw text could hold what the parsed value lost, e.g. the first of two
 * duplicate keys), and a payload that cannot be parsed (not JSON, nested deeper than
 * MAX_JSON_DEPTH) is withheld: replaced by a placeholder saying why, with its size.
 */
export function maskMessage(d: DeadLetterMessage, rules: MaskRules): DeadLetterMessage {
  // Message attribute names are case-sensitive in SQS, but an operator listing "authorization" means every spelling.
  const names = new Set(rules.attributeNames.map((n) => n.toLowerCase()));
  return maskMessageWith(d, {
    guardsPayload: rules.payloadPaths.some((p) => p !== ""),
    payload: (payload, masked) => maskPaths(payload, rules.payloadPaths, masked),
    attribute: (name) => names.has(name.toLowerCase()),
  });
}

/** What to hide of a message: maskMessage's rules, or a masking policy's (lib/domain/masking-policy.ts). */
export interface MessageMasker {
  /** It hides something of every payload, so one it cannot read (not JSON, too deep) is withheld. */
  guardsPayload: boolean;
  /** The parsed payload with what it hides replaced by MASK, each concrete path hidden added to `masked`. */
  payload(payload: unknown, masked: Set<string>): unknown;
  /** Whether a message attribute's value is hidden. */
  attribute(name: string): boolean;
}

/** `payload` with the value at every path (MaskRules' syntax, without "payload.") replaced by MASK; copies only along the changed paths. */
export function maskPaths(payload: unknown, paths: readonly string[], masked: Set<string>): unknown {
  let value = payload;
  for (const path of paths) if (path !== "") value = maskAt(value, path.split("."), 0, PAYLOAD_ROOT, masked);
  return value;
}

/** maskMessage with any masker: the same guarantees, whatever decides what is hidden. */
export function maskMessageWith(d: DeadLetterMessage, masker: MessageMasker): DeadLetterMessage {
  const masked = new Set<string>();
  const guarded = masker.guardsPayload;

  // The payload is what the publisher sent: the SNS Message when SNS wrapped it, else the body.
  const inSns = d.sns !== undefined && "messageJson" in d.sns;
  const hasPayload = inSns || "bodyJson" in d;
  let payload: unknown = inSns ? d.sns?.messageJson : d.bodyJson;
  let payloadChanged = false;
  if (hasPayload) {
    payload = masker.payload(payload, masked);
    payloadChanged = masked.size > 0;
  }

  let attributes = d.attributes;
  let sqsChanged = false;
  for (const [name, a] of Object.entries(d.attributes)) {
    if (!masker.attribute(name) || (a.stringValue === undefined && a.binaryValue === undefined)) continue;
    if (!sqsChanged) attributes = copyRecord(d.attributes);
    sqsChanged = true;
    const m: SqsAttributeValue = { dataType: a.dataType };
    if (a.stringValue !== undefined) m.stringValue = MASK;
    if (a.binaryValue !== undefined) m.binaryValue = MASK;
    defineEntry(attributes, name, m);
    masked.add(ATTRIBUTE_PREFIX + name);
  }
  let snsAttributes = d.sns?.attributes;
  let snsAttributesChanged = false;
  for (const [name, a] of Object.entries(d.sns?.attributes ?? {})) {
    if (!masker.attribute(name)) continue;
    if (!snsAttributesChanged) snsAttributes = copyRecord(d.sns?.attributes ?? {});
    snsAttributesChanged = true;
    defineEntry(snsAttributes ?? {}, name, { type: a.type, value: MASK });
    masked.add(ATTRIBUTE_PREFIX + name);
  }

  if (masked.size === 0 && !guarded) return { ...d };

  const result: DeadLetterMessage = { ...d, attributes, masked: [...new Set([...d.masked, ...masked])].sort() };
  if (!hasPayload) {
    // Not JSON, or too deep to walk: the rules cannot be applied, so nothing of it is shown.
    result.withheld = withheldPart("body", d.body);
    result.body = withheldText(result.withheld);
    delete result.bodyJson;
    return result;
  }
  if (d.sns && (payloadChanged || snsAttributesChanged || guarded)) {
    // The envelope in bodyJson carries the Message and MessageAttributes again: rewrite them there,
    // then the body from it. Without a JSON Message the payload was the envelope itself.
    const base = inSns ? d.bodyJson : payload;
    const envelope = isRecord(base) ? copyRecord(base) : {};
    let message = d.sns.message;
    if (inSns && (payloadChanged || guarded)) {
      message = JSON.stringify(payload);
      defineEntry(envelope, "Message", message);
    } else if (!inSns && guarded && typeof envelope.Message === "string" && envelope.Message !== MASK) {
      // The Message is not JSON or too deep: the rules cannot reach into it, so it is withheld.
      result.withheld = withheldPart("sns.message", envelope.Message);
      defineEntry(envelope, "Message", withheldText(result.withheld));
    }
    if (snsAttributesChanged && isRecord(envelope.MessageAttributes)) {
      const envAttrs = copyRecord(envelope.MessageAttributes);
      for (const [name, a] of Object.entries(envAttrs)) {
        if (masker.attribute(name) && isRecord(a)) defineEntry(envAttrs, name, { ...a, Value: MASK });
      }
      defineEntry(envelope, "MessageAttributes", envAttrs);
    }
    if (inSns) {
      result.sns = { ...d.sns, message, attributes: snsAttributes ?? {}, messageJson: payload };
    } else {
      // A masked envelope field may be the Message or Subject: read them back from the masked envelope.
      const derived = snsEnvelopeOf(envelope);
      if (derived) result.sns = { ...derived, attributes: snsAttributes ?? {} };
      else delete result.sns; // The rules masked Type or Message: it no longer reads as an SNS notification.
    }
    result.bodyJson = envelope;
    result.body = JSON.stringify(envelope);
  } else if (payloadChanged || guarded) {
    result.bodyJson = payload;
    result.body = JSON.stringify(payload);
  }
  return result;
}

/** Why a payload text is withheld, and its size in UTF-8 bytes (what SQS counts). */
function withheldPart(part: Withheld["part"], text: string): Withheld {
  const reason =
    jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH ? `nested deeper than ${MAX_JSON_DEPTH} levels` : "not JSON";
  return { part, reason, bytes: new TextEncoder().encode(text).length };
}

/** The placeholder shown instead of a withheld payload. */
export function withheldText(w: Withheld): string {
  const what = w.part === "body" ? "body" : "SNS Message";
  return `[withheld: this ${w.bytes}-byte ${what} is ${w.reason}, so the configured masking rules cannot be applied to it]`;
}

/**
 * A published message as the filter-policy test panel keeps it (payload text and SNS message
 * attributes: recent events, saved samples) with the masking rules applied, as maskMessage does
 * for a dead letter: the payload re-serialized from its masked JSON, or withheld when it does not
 * parse; attributes masked by name. Applied when served, so the rules in force then count.
 */
export function maskPublished<M extends { body: string; attributes: Record<string, MessageAttribute> }>(
  m: M,
  rules: MaskRules,
): M & { masked: string[]; withheld?: Withheld } {
  const messageAttributes = Object.fromEntries(
    Object.entries(m.attributes).map(([name, a]) => [name, { dataType: a.Type, stringValue: a.Value }]),
  );
  const decoded: DeadLetterMessage = {
    messageId: "",
    body: m.body,
    attributes: messageAttributes,
    system: {},
    masked: [],
  };
  // The payload itself: an SNS envelope inside it is data, not a wrapper to look into.
  const parsed = parseJson(m.body);
  if (parsed.ok) decoded.bodyJson = parsed.value;
  const masked = maskMessage(decoded, rules);
  const attributes = Object.fromEntries(
    Object.entries(m.attributes).map(([name, a]) => [
      name,
      { Type: a.Type, Value: masked.attributes[name]?.stringValue ?? a.Value },
    ]),
  );
  return {
    ...m,
    body: masked.body,
    attributes,
    masked: masked.masked,
    ...(masked.withheld ? { withheld: masked.withheld } : {}),
  };
}

/** `value` with everything at `segments[i..]` replaced by MASK; copies only along the changed paths. */
function maskAt(value: unknown, segments: string[], i: number, path: string, masked: Set<string>): unknown {
  if (i === segments.length) {
    if (value === null || value === undefined) return value; // Nothing to hide.
    masked.add(path);
    return MASK;
  }
  const segment = segments[i] ?? "";
  if (Array.isArray(value)) {
    if (segment !== "*" && !/^\d+$/.test(segment)) return value;
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      if (segment !== "*" && Number(segment) !== index) return;
      const next = maskAt(item, segments, i + 1, `${path}.${index}`, masked);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  if (isRecord(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      if (segment !== "*" && segment !== key) continue;
      const next = maskAt(item, segments, i + 1, `${path}.${key}`, masked);
      if (next !== item) defineEntry((copy ??= copyRecord(value)), key, next);
    }
    return copy ?? value;
  }
  return value;
}

/**
 * `payload` with everything replaced by MASK except what an allowed path (MaskRules' syntax, `*` any
 * key or index) reaches: a value an allowed path ends at is shown whole, a container an allowed path
 * goes through is walked (its keys shown), anything else is hidden whole, keys included. The top
 * level is always walked, so that people see which fields are hidden; a bare value is hidden as "payload".
 */
export function maskAllBut(payload: unknown, allowed: readonly string[], masked: Set<string>): unknown {
  const paths = allowed.filter((p) => p !== "").map((p) => p.split("."));
  if (!Array.isArray(payload) && !isRecord(payload)) return hide(payload, PAYLOAD_ROOT, masked);
  return walkChildren(payload, paths, 0, PAYLOAD_ROOT, masked);
}

function hide(value: unknown, path: string, masked: Set<string>): unknown {
  if (value === null || value === undefined) return value; // Nothing to hide.
  masked.add(path);
  return MASK;
}

/** One value at depth `i`, `alive` the allowed paths whose first `i` segments led here. */
function walkAllowed(value: unknown, alive: string[][], i: number, path: string, masked: Set<string>): unknown {
  if (alive.some((p) => p.length === i)) return value;
  if (alive.length === 0 || (!Array.isArray(value) && !isRecord(value))) return hide(value, path, masked);
  return walkChildren(value, alive, i, path, masked);
}

function walkChildren(
  value: unknown[] | Record<string, unknown>,
  alive: string[][],
  i: number,
  path: string,
  masked: Set<string>,
): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = walkAllowed(
        item,
        alive.filter((p) => p[i] === "*" || (/^\d+$/.test(p[i] ?? "") && Number(p[i]) === index)),
        i + 1,
        `${path}.${index}`,
        masked,
      );
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = walkAllowed(
      item,
      alive.filter((p) => p[i] === "*" || p[i] === key),
      i + 1,
      `${path}.${key}`,
      masked,
    );
    if (next !== item) defineEntry((copy ??= copyRecord(value)), key, next);
  }
  return copy ?? value;
}

/** The original value at a path listed in `masked` ("payload.a.0.b" or "attribute.name"), as text; undefined when absent. */
export function revealValue(d: DeadLetterMessage, path: string): string | undefined {
  if (path.startsWith(ATTRIBUTE_PREFIX)) {
    const name = path.slice(ATTRIBUTE_PREFIX.length);
    const sqs = lookup(d.attributes, name);
    if (sqs) return sqs.stringValue ?? sqs.binaryValue;
    return lookup(d.sns?.attributes ?? {}, name)?.value;
  }
  // "payload" alone is the whole payload: a masking policy that masks by default hides a bare value so.
  const whole = path === PAYLOAD_ROOT;
  if (!whole && !path.startsWith(PAYLOAD_PREFIX)) return undefined;
  const inSns = d.sns !== undefined && "messageJson" in d.sns;
  if (!inSns && !("bodyJson" in d)) return undefined;
  let value: unknown = inSns ? d.sns?.messageJson : d.bodyJson;
  for (const segment of whole ? [] : path.slice(PAYLOAD_PREFIX.length).split(".")) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
    else if (isRecord(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** An exact name first, then any spelling: masked paths keep the message's own spelling, rules may not. */
function lookup<T>(record: Record<string, T>, name: string): T | undefined {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

// ---- search and filtering ------------------------------------------------------------------------

/**
 * Whether a dead letter matches a search: whitespace-separated tokens, all of which must match.
 * `name=value` looks in the attribute or system field `name` (case-insensitive), `name=` asks only
 * that it is present; any other token is a case-insensitive substring of the body, SNS Message,
 * message id or any attribute value.
 */
export function matchesSearch(d: DeadLetterMessage, query: string): boolean {
  const tokens = query.split(/\s+/).filter((t) => t !== "");
  if (tokens.length === 0) return true;
  const fields = namedValues(d);
  const everywhere = [
    d.body,
    d.sns?.message ?? "",
    d.messageId,
    ...fields.filter((f) => f.attribute).map((f) => f.value),
  ].map((s) => s.toLowerCase());
  return tokens.every((token) => {
    const eq = token.indexOf("=");
    if (eq > 0) {
      const name = token.slice(0, eq).toLowerCase();
      const want = token.slice(eq + 1).toLowerCase();
      return fields.some((f) => f.name.toLowerCase() === name && f.value.toLowerCase().includes(want));
    }
    const want = token.toLowerCase();
    return everywhere.some((s) => s.includes(want));
  });
}

function namedValues(d: DeadLetterMessage): { name: string; value: string; attribute: boolean }[] {
  const out: { name: string; value: string; attribute: boolean }[] = [];
  for (const [name, a] of Object.entries(d.attributes))
    out.push({ name, value: a.stringValue ?? a.binaryValue ?? "", attribute: true });
  for (const [name, a] of Object.entries(d.sns?.attributes ?? {})) out.push({ name, value: a.value, attribute: true });
  for (const [name, value] of Object.entries(d.system))
    if (value !== undefined) out.push({ name, value: String(value), attribute: false });
  return out;
}

/**
 * The dead letter as an SNS filter policy sees it, so a policy can select dead letters. With the
 * MessageAttributes scope, the SNS envelope's attributes when SNS wrapped the message (they are what
 * the policy saw at delivery), else the SQS message attributes with custom types ("String.foo") reduced
 * to their base type (SQS Developer Guide, "Amazon SQS message attributes"). With the MessageBody
 * scope, the payload text: the SNS Message, else the body.
 */
export function toFilterMessage(d: DeadLetterMessage, scope: FilterPolicyScope): FilterMessage {
  if (scope === "MessageBody") return { body: d.sns ? d.sns.message : d.body };
  const attributes: Record<string, MessageAttribute> = {};
  if (d.sns) {
    for (const [name, a] of Object.entries(d.sns.attributes)) {
      const type = baseType(a.type);
      if (type) defineEntry(attributes, name, { Type: type, Value: a.value });
    }
  } else {
    for (const [name, a] of Object.entries(d.attributes)) {
      const type = baseType(a.dataType);
      if (type) defineEntry(attributes, name, { Type: type, Value: a.stringValue ?? a.binaryValue ?? "" });
    }
  }
  return { attributes };
}

function baseType(dataType: string): MessageAttribute["Type"] | undefined {
  if (dataType === "String" || dataType === "Number" || dataType === "Binary" || dataType === "String.Array")
    return dataType;
  const base = dataType.slice(0, dataType.indexOf("."));
  return base === "String" || base === "Number" || base === "Binary" ? base : undefined;
}

// ---- helpers -------------------------------------------------------------------------------------

/**
 * Nesting beyond this is shown as text, not as a tree: a body nested 10,000 deep parses, but every
 * recursive walk of it afterwards (masking, JSON.stringify of the API answer, rendering) would
 * exhaust the stack. Real payloads are a few levels deep.
 */
export const MAX_JSON_DEPTH = 128;

/** The deepest nesting of arrays and objects in JSON text, brackets inside strings not counted; stops counting past `limit`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function epochMillis(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** ISO text of epoch millis, or undefined where Date would throw (out of range). */
function isoOf(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A shallow copy whose keys are all own data properties, "__proto__" included (JSON.parse makes such keys). */
function copyRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record)) as Record<string, T>;
}

/** Sets a key as an own data property: plain assignment to "__proto__" would change the prototype instead. */
function defineEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
