import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "./concurrency";

/** A task per item that the test finishes by hand, in any order, recording how many ran at once. */
function gatedWork() {
  const open = new Map<number, () => void>();
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const work = (item: number) =>
    new Promise<string>((resolve) => {
      started.push(item);
      most = Math.max(most, ++running);
      open.set(item, () => {
        running--;
        open.delete(item);
        resolve(`done ${item}`);
      });
    });
  const finish = async (item: number) => {
    open.get(item)!();
    // Let the freed worker take its next item.
    await new Promise((r) => setTimeout(r, 0));
  };
  return { work, finish, started, open, most: () => most };
}

describe("mapWithConcurrency, the bounded pool", () => {
  it("runs at most `limit` at once, starts the next as soon as one finishes, and keeps the input order", async () => {
    const gate = gatedWork();
    const all = mapWithConcurrency([0, 1, 2, 3, 4, 5], 4, gate.work);
    await new Promise((r) => setTimeout(r, 0));
    expect(gate.started).toEqual([0, 1, 2, 3]);

    // The third finishes first: its worker takes item 4 while 0, 1 and 3 still run.
    await gate.finish(2);
    expect(gate.started).toEqual([0, 1, 2, 3, 4]);
    expect([...gate.open.keys()].sort()).toEqual([0, 1, 3, 4]);

    for (const item of [4, 0, 1, 3]) await gate.finish(item);
    await gate.finish(5);
    expect(await all).toEqual([0, 1, 2, 3, 4, 5].map((i) => `done ${i}`));
    expect(gate.most()).toBe(4);
  });

  it("starts every item at once when there are fewer than the limit, and answers an empty list at once", async () => {
    const gate = gatedWork();
    const all = mapWithConcurrency([7, 8], 4, gate.work);
    await new Promise((r) => setTimeout(r, 0));
    expect(gate.started).toEqual([7, 8]);
    await gate.finish(8);
    await gate.finish(7);
    expect(await all).toEqual(["done 7", "done 8"]);
    expect(await mapWithConcurrency([], 4, gate.work)).toEqual([]);
  });

  it("with a limit of one, runs the items one after another", async () => {
    const gate = gatedWork();
    const all = mapWithConcurrency([1, 2, 3], 1, gate.work);
    for (const item of [1, 2, 3]) {
      await new Promise((r) => setTimeout(r, 0));
      expect(gate.started.at(-1)).toBe(item);
      await gate.finish(item);
    }
    await all;
    expect(gate.most()).toBe(1);
  });
});
