import type { MessageValues, Trail } from "./message";
import type { AndGroup, Leaf, OrGroup, Scalar } from "./types";

/**
 * Matching ("Amazon SNS subscription filter policies"): a message is delivered when every key of the
 * policy holds and, for each `$or`, one branch holds; a key holds when one of its listed conditions
 * holds for one of the values at its path ("AND/OR logic"). `{"exists": false}` holds when the path
 * has no value at all ("Key matching"), unless the message carries no attributes at all or the
 * attribute there cannot be read (MessageValues.existsFalseHolds).
 */

export function leafHolds(leaf: Leaf, values: readonly Scalar[], existsFalseHolds = true): boolean {
  if (values.length === 0) return leaf.existsFalse && existsFalseHolds;
  for (let i = 0; i < values.length; i++) if (valueHolds(leaf, values[i] as Scalar)) return true;
  return false;
}

/**
 * "Key matching": `"exists": true` matches a key that is there, and "the key must have a non-null and
 * non-empty value"; so a null or "" alone does not satisfy it (exact `null` or `""` still can).
 */
export function existsTrueValue(v: Scalar): boolean {
  return v !== null && v !== "";
}

function valueHolds(leaf: Leaf, v: Scalar): boolean {
  return (leaf.existsTrue && existsTrueValue(v)) || leaf.matchValue(v);
}

export function groupHolds(group: AndGroup, message: MessageValues): boolean {
  const leaves = group.leaves;
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i] as Leaf;
    if (!leafHolds(leaf, message.values(leaf.path), message.existsFalseHolds(leaf.path))) return false;
  }
  const ors = group.ors;
  for (let i = 0; i < ors.length; i++) {
    const branches = (ors[i] as OrGroup).branches;
    let any = false;
    for (let b = 0; b < branches.length && !any; b++) any = groupHolds(branches[b] as AndGroup, message);
    if (!any) return false;
  }
  return true;
}

type Item = { leaf: Leaf } | { or: OrGroup };
type Binding = ReadonlyMap<number, number>;

function itemsOf(group: AndGroup): Item[] {
  return [...group.leaves.map((leaf) => ({ leaf })), ...group.ors.map((or) => ({ or }))];
}

function compatible(trail: Trail, binding: Binding): boolean {
  for (let i = 0; i < trail.length; i += 2) {
    const bound = binding.get(trail[i] as number);
    if (bound !== undefined && bound !== trail[i + 1]) return false;
  }
  return true;
}

function bind(trail: Trail, binding: Binding): Binding {
  if (trail.length === 0) return binding;
  const next = new Map(binding);
  for (let i = 0; i < trail.length; i += 2) next.set(trail[i] as number, trail[i + 1] as number);
  return next;
}

/**
 * A search for one value per key such that no two come from different elements of the same array.
 * Dead ends are remembered by what they depend on (the bindings of the arrays the remaining keys can
 * touch), so keys in unrelated arrays cannot make the search explode.
 */
class ConsistencySearch {
  private readonly failed = new Set<string>();
  private readonly listIds = new Map<readonly Item[], number>();
  private readonly arraysOfPath = new Map<string, number[]>();
  private readonly arraysOfSuffix = new Map<string, number[]>();

  constructor(private readonly message: MessageValues) {}

  private listId(items: readonly Item[]): number {
    let id = this.listIds.get(items);
    if (id === undefined) {
      id = this.listIds.size;
      this.listIds.set(items, id);
    }
    return id;
  }

  private arraysOf(path: string): number[] {
    let ids = this.arraysOfPath.get(path);
    if (!ids) {
      const set = new Set<number>();
      for (const trail of this.message.trails(path) ?? [])
        for (let i = 0; i < trail.length; i += 2) set.add(trail[i] as number);
      ids = [...set];
      this.arraysOfPath.set(path, ids);
    }
    return ids;
  }

  private arraysOfItems(items: readonly Item[], into: Set<number>): void {
    for (const item of items) {
      if ("leaf" in item) for (const id of this.arraysOf(item.leaf.path)) into.add(id);
      else for (const branch of item.or.branches) this.arraysOfItems(itemsOf(branch), into);
    }
  }

  private relevantArrays(items: readonly Item[], listId: number, at: number): number[] {
    const key = `${listId}:${at}`;
    let ids = this.arraysOfSuffix.get(key);
    if (!ids) {
      const set = new Set<number>();
      this.arraysOfItems(items.slice(at), set);
      ids = [...set].sort((a, b) => a - b);
      this.arraysOfSuffix.set(key, ids);
    }
    return ids;
  }

  solve(items: readonly Item[], at: number, binding: Binding): boolean {
    const item = items[at];
    if (item === undefined) return true;
    const listId = this.listId(items);
    const memo = `${listId}:${at}|${this.relevantArrays(items, listId, at)
      .map((id) => binding.get(id) ?? "")
      .join(",")}`;
    if (this.failed.has(memo)) return false;
    const found = this.attempt(items, at, item, binding);
    if (!found) this.failed.add(memo);
    return found;
  }

  private attempt(items: readonly Item[], at: number, item: Item, binding: Binding): boolean {
    if ("or" in item) {
      const rest = items.slice(at + 1);
      return item.or.branches.some((branch) => this.solve([...itemsOf(branch), ...rest], 0, binding));
    }
    const leaf = item.leaf;
    const values = this.message.values(leaf.path);
    if (values.length === 0)
      return leaf.existsFalse && this.message.existsFalseHolds(leaf.path) && this.solve(items, at + 1, binding);
    const trails = this.message.trails(leaf.path);
    for (let i = 0; i < values.length; i++) {
      if (!valueHolds(leaf, values[i] as Scalar)) continue;
      const trail = trails?.[i] ?? [];
      if (compatible(trail, binding) && this.solve(items, at + 1, bind(trail, binding))) return true;
    }
    return false;
  }
}

/**
 * Array consistency: when the body holds arrays of objects, the keys of one rule must all be matched
 * inside the same element of such an array, as AWS's matching of JSON messages does. (Record 1's
 * eventName with record 2's object key is not a match.)
 */
export function consistentlyHolds(group: AndGroup, message: MessageValues): boolean {
  return new ConsistencySearch(message).solve(itemsOf(group), 0, new Map());
}

/** The verdict: every key and `$or` holds, within one element of any array of objects. */
export function policyHolds(root: AndGroup, message: MessageValues): boolean {
  if (!groupHolds(root, message)) return false;
  return !message.hasTrails || consistentlyHolds(root, message);
}
