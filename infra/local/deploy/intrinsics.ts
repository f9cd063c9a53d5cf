/**
 * The CloudFormation intrinsic functions a translated SAM template uses, resolved the way
 * CloudFormation resolves them (CloudFormation User Guide, "Intrinsic function reference"):
 * Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If with Fn::Equals / Not / And /
 * Or, and Condition on resources. Pure: resources are looked up through the context.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ResolveContext {
  /** Parameter values and pseudo parameters (AWS::Region, AWS::AccountId, …), as strings. */
  values: Record<string, string>;
  condition(name: string): boolean;
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
}

export class TemplateError extends Error {}

/** CloudFormation's "no value": a property or list element resolving to it is removed. */
const noValue = Symbol("AWS::NoValue");

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asString(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new TemplateError(`${where} must resolve to a string, got ${JSON.stringify(value)}`);
}

function substitute(text: string, variables: Record<string, unknown>, ctx: ResolveContext): string {
  // ${!Literal} is an escaped ${Literal}.
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_match, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    if (name in variables) return asString(variables[name], `Fn::Sub variable ${name}`);
    if (name in ctx.values) return ctx.values[name]!;
    const dot = name.indexOf(".");
    return dot > 0 ? ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)) : ctx.ref(name);
  });
}

function evaluateCondition(value: Json, ctx: ResolveContext): boolean {
  if (isObject(value)) {
    const [fn, args] = Object.entries(value)[0] ?? [];
    if (fn === "Condition") return ctx.condition(asString(args, "Condition"));
    if (fn === "Fn::Equals" && Array.isArray(args))
      return JSON.stringify(resolve(args[0]!, ctx)) === JSON.stringify(resolve(args[1]!, ctx));
    if (fn === "Fn::Not" && Array.isArray(args)) return !evaluateCondition(args[0]!, ctx);
    if (fn === "Fn::And" && Array.isArray(args)) return args.every((a) => evaluateCondition(a, ctx));
    if (fn === "Fn::Or" && Array.isArray(args)) return args.some((a) => evaluateCondition(a, ctx));
  }
  throw new TemplateError(`unsupported condition ${JSON.stringify(value)}`);
}

/** Evaluates a template's Conditions section; conditions may refer to each other. */
export function evaluateConditions(
  conditions: Record<string, Json>,
  values: Record<string, string>,
): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  const noResources = (id: string): never => {
    throw new TemplateError(`a condition cannot refer to resource ${id}`);
  };
  const ctx: ResolveContext = {
    values,
    condition: (name) => {
      if (!(name in conditions)) throw new TemplateError(`unknown condition ${name}`);
      return (result[name] ??= evaluateCondition(conditions[name]!, ctx));
    },
    ref: noResources,
    getAtt: noResources,
  };
  for (const name of Object.keys(conditions)) ctx.condition(name);
  return result;
}

function resolveValue(value: Json, ctx: ResolveContext): Json | typeof noValue {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx)).filter((v): v is Json => v !== noValue);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const fn = keys[0]!;
    const args = value[fn]!;
    switch (fn) {
      case "Ref": {
        const name = asString(args, "Ref");
        if (name === "AWS::NoValue") return noValue;
        return name in ctx.values ? ctx.values[name]! : ctx.ref(name);
      }
      case "Fn::GetAtt": {
        const [id, attribute] =
          typeof args === "string"
            ? [args.slice(0, args.indexOf(".")), args.slice(args.indexOf(".") + 1)]
            : (args as Json[]);
        return ctx.getAtt(asString(id, "Fn::GetAtt"), asString(resolveValue(attribute!, ctx), "Fn::GetAtt attribute"));
      }
      case "Fn::Sub": {
        if (typeof args === "string") return substitute(args, {}, ctx);
        const [text, variables] = args as [Json, Record<string, Json>];
        const resolved = Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, resolveValue(v, ctx)]));
        return substitute(asString(text, "Fn::Sub"), resolved, ctx);
      }
      case "Fn::Join": {
        const [separator, list] = args as [string, Json];
        const items = resolveValue(list, ctx);
        if (!Array.isArray(items)) throw new TemplateError("Fn::Join needs a list");
        return items.map((i) => asString(i, "Fn::Join element")).join(separator);
      }
      case "Fn::Select": {
        const [index, list] = args as [Json, Json];
        const items = resolveValue(list, ctx);
        const i = Number(resolveValue(index, ctx));
        if (!Array.isArray(items) || !(i >= 0 && i < items.length))
          throw new TemplateError(`Fn::Select index ${i} out of range`);
        return items[i]!;
      }
      case "Fn::Split": {
        const [separator, text] = args as [string, Json];
        return asString(resolveValue(text, ctx), "Fn::Split").split(separator);
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = args as [string, Json, Json];
        return resolveValue(ctx.condition(condition) ? whenTrue : whenFalse, ctx);
      }
      default:
        if (fn.startsWith("Fn::")) throw new TemplateError(`unsupported intrinsic function ${fn}`);
    }
  }
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    const resolved = resolveValue(v, ctx);
    if (resolved !== noValue) out[key] = resolved;
  }
  return out;
}

/** Resolves every intrinsic function in a value. */
export function resolve(value: Json, ctx: ResolveContext): Json {
  const resolved = resolveValue(value, ctx);
  return resolved === noValue ? null : resolved;
}

/** The resources a value refers to, through Ref, Fn::GetAtt or Fn::Sub, excluding parameters. */
export function referencedResources(value: Json, parameterNames: Set<string>): Set<string> {
  const found = new Set<string>();
  const addName = (name: string) => {
    const id = name.split(".")[0]!;
    if (!id.startsWith("AWS::") && !parameterNames.has(id)) found.add(id);
  };
  const walk = (v: Json) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObject(v)) return;
    for (const [key, inner] of Object.entries(v)) {
      if (key === "Ref" && typeof inner === "string") addName(inner);
      else if (key === "Fn::GetAtt")
        addName(typeof inner === "string" ? inner : asString((inner as Json[])[0], "Fn::GetAtt"));
      else if (key === "Fn::Sub") {
        const [text, variables] = typeof inner === "string" ? [inner, {}] : (inner as [string, Record<string, Json>]);
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) if (!(m[1]! in (variables ?? {}))) addName(m[1]!);
        walk(variables as Json);
      } else walk(inner);
    }
  };
  walk(value);
  return found;
}

/** Orders resources so each comes after what it refers to or DependsOn; throws on a cycle. */
export function deploymentOrder(
  resources: Record<string, { DependsOn?: string | string[]; Properties?: Json }>,
  parameterNames: Set<string>,
): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw new TemplateError(`circular dependency: ${[...path, id].join(" → ")}`);
    const resource = resources[id];
    if (!resource) throw new TemplateError(`${path.at(-1) ?? "template"} refers to unknown resource ${id}`);
    state.set(id, "visiting");
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const dep of [...dependsOn, ...referencedResources(resource.Properties ?? {}, parameterNames)])
      visit(dep, [...path, id]);
    state.set(id, "done");
    order.push(id);
  };
  for (const id of Object.keys(resources).sort()) visit(id, []);
  return order;
}
