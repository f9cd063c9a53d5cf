import { describe, expect, it } from "vitest";
import { openStore, type Store } from "./db";
import {
  addLeaseLetters,
  currentDeadLetterLease,
  endDeadLetterLeases,
  extendDeadLetterLease,
  latestDeadLetterLease,
  leaseLetters,
  liveLeasesOnQueue,
  openDeadLetterLease,
  recentLeaseSpans,
  takeLeaseLetters,
  type LeasedLately,
  type LeaseOwner,
} from "./dead-letter-leases";
import type { QueueDescription } from "../domain/dead-letters";
import { DEFAULT_SCOPE, STORE_BACKENDS, temporaryLocation, temporaryStore } from "../../test/store-fixtures";

const queue = (name: string): QueueDescription => ({
  name,
  url: `http://127.0.0.1/1/${name}`,
  arn: `arn:aws:sqs:us-east-1:1:${name}`,
  fifo: false,
  visible: 3,
  inFlight: 0,
  delayed: 0,
  retentionSeconds: 345_600,
});
const owner = (user: string, queueName = "orders-dlq"): LeaseOwner => ({ scope: DEFAULT_SCOPE, user, queueName });
const letters = (...ids: string[]) => ids.map((id) => ({ messageId: id, sealed: `sealed-${id}` }));
const FIVE_MINUTES = 300_000;

async function open(db: Store, who: LeaseOwner, id: string, now: number, seen: LeasedLately[] = []) {
  return openDeadLetterLease(
    db,
    who,
    { id, queue: queue(who.queueName), deadLetter: true, capped: false },
    (lately) => {
      seen.push(lately);
      return FIVE_MINUTES;
    },
    now,
  );
}

describe.each(STORE_BACKENDS)("dead-letter leases (%s)", (backend) => {
  it("gives each letter out once: to whoever takes it, or back when the lease ends", async () => {
    const db = await temporaryStore(backend, "fanout-dl-leases-");
    const { lease, earlier } = await open(db, owner("otto"), "lease-1", 1_000);
    expect(earlier).toEqual([]);
    expect(lease).toMatchObject({ id: "lease-1", user: "otto", span: { start: 1_000, end: 301_000 }, ended: false });
    expect(await addLeaseLetters(db, "lease-1", letters("c", "a", "b"))).toBe(true);
    // In the order SQS handed them out, all or the chosen ones.
    expect((await leaseLetters(db, "lease-1")).map((l) => l.messageId)).toEqual(["c", "a", "b"]);
    expect(await leaseLetters(db, "lease-1", ["b", "zzz"])).toEqual(letters("b"));

    expect(await takeLeaseLetters(db, "lease-1", ["a", "zzz"], 2_000)).toEqual(letters("a"));
    expect(await takeLeaseLetters(db, "lease-1", ["a"], 2_000)).toEqual([]);
    expect((await liveLeasesOnQueue(db, DEFAULT_SCOPE, "orders-dlq", 2_000))[0]!.messageIds).toEqual(["c", "b"]);

    expect(await extendDeadLetterLease(db, "lease-1", 400_000, 2_000)).toBe(true);
    expect((await currentDeadLetterLease(db, owner("otto"), 2_000))?.span.end).toBe(400_000);
    expect(await endDeadLetterLeases(db, ["lease-1"], 3_000)).toEqual([{ id: "lease-1", letters: letters("c", "b") }]);
    // Ended once: a second release, a take or a renewal find nothing.
    expect(await endDeadLetterLeases(db, ["lease-1"], 3_000)).toEqual([]);
    expect(await takeLeaseLetters(db, "lease-1", ["b"], 3_000)).toEqual([]);
    expect(await extendDeadLetterLease(db, "lease-1", 500_000, 3_000)).toBe(false);
    expect(await currentDeadLetterLease(db, owner("otto"), 3_000)).toBeUndefined();
    // Its span stops when it ended: only that much counts toward a viewer's hour.
    expect(await recentLeaseSpans(db, owner("otto"), 3_000)).toEqual([{ start: 1_000, end: 3_000 }]);
    expect(await addLeaseLetters(db, "lease-1", letters("d"))).toBe(false);
    await db.destroy();
  });

  it("replaces the owner's earlier lease on the queue, and tells a caller what they lease lately", async () => {
    const db = await temporaryStore(backend, "fanout-dl-leases-");
    const seen: LeasedLately[] = [];
    await open(db, owner("vera", "payments-dlq"), "elsewhere", 1_000, seen);
    await open(db, owner("vera"), "first", 2_000, seen);
    await addLeaseLetters(db, "first", letters("a", "b"));
    const { earlier } = await open(db, owner("vera"), "second", 62_000, seen);
    expect(earlier).toEqual([{ id: "first", queue: queue("orders-dlq"), letters: letters("a", "b") }]);
    expect(seen.at(-1)).toEqual({ spans: [{ start: 2_000, end: 62_000 }], otherLeases: 1 });
    expect((await currentDeadLetterLease(db, owner("vera"), 62_000))?.id).toBe("second");
    // Another user's lease is theirs: neither replaced nor counted.
    await open(db, owner("otto"), "ottos", 63_000, seen);
    expect(seen.at(-1)).toEqual({ spans: [], otherLeases: 0 });
    expect((await liveLeasesOnQueue(db, DEFAULT_SCOPE, "orders-dlq", 63_000)).map((l) => l.user)).toEqual([
      "vera",
      "otto",
    ]);
    await db.destroy();
  });

  it("says who took a lease over, and forgets letters of leases that ran out", async () => {
    const db = await temporaryStore(backend, "fanout-dl-leases-");
    await open(db, owner("vera"), "taken", 1_000);
    await addLeaseLetters(db, "taken", letters("a"));
    const at = new Date(2_000).toISOString();
    expect(await endDeadLetterLeases(db, ["taken"], 2_000, { by: "otto", at })).toHaveLength(1);
    expect((await latestDeadLetterLease(db, owner("vera")))?.takenOver).toEqual({ leaseId: "taken", by: "otto", at });

    await open(db, owner("otto"), "ran-out", 10_000);
    await addLeaseLetters(db, "ran-out", letters("x"));
    expect(await currentDeadLetterLease(db, owner("otto"), 10_000 + FIVE_MINUTES)).toBeUndefined();
    // The next open anywhere drops the letters SQS let go, and rows an hour past their end.
    await open(db, owner("pia", "other-dlq"), "later", 10_000 + FIVE_MINUTES + 1);
    expect(await leaseLetters(db, "ran-out")).toEqual([]);
    await open(db, owner("pia", "other-dlq"), "much-later", 3_700_000 + FIVE_MINUTES);
    expect(await latestDeadLetterLease(db, owner("vera"))).toBeUndefined();
    await db.destroy();
  });
});

describe("dead-letter leases across replicas", () => {
  it("give a letter to a job or back to the queue, never both, when two replicas race", async () => {
    const location = await temporaryLocation("postgresql", "fanout-dl-leases-");
    const [a, b] = await Promise.all([openStore(location), openStore(location)]);
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);
    for (let round = 0; round < 5; round++) {
      const id = `lease-${round}`;
      await open(a!, owner("otto"), id, 1_000 + round);
      await addLeaseLetters(a!, id, letters(...ids));
      const [taken, ended] = await Promise.all([
        takeLeaseLetters(a!, id, ids.slice(0, 150), 2_000 + round),
        endDeadLetterLeases(b!, [id], 2_000 + round),
      ]);
      const released = ended.flatMap((e) => e.letters);
      expect([...taken, ...released].map((l) => l.messageId).sort()).toEqual([...ids].sort());
    }
    await Promise.all([a!.destroy(), b!.destroy()]);
  });

  it("let a viewer's parallel opens through several replicas pass the cap on leases at once no more than one replica would", async () => {
    const location = await temporaryLocation("postgresql", "fanout-dl-leases-");
    const replicas = await Promise.all(Array.from({ length: 3 }, () => openStore(location)));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        openDeadLetterLease(
          replicas[i % replicas.length]!,
          owner("vera", `dlq-${i}`),
          { id: `lease-${i}`, queue: queue(`dlq-${i}`), deadLetter: true, capped: true },
          ({ otherLeases }) => {
            if (otherLeases >= 3) throw new Error("a viewer holds at most 3 leases");
            return FIVE_MINUTES;
          },
          1_000,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    await Promise.all(replicas.map((db) => db.destroy()));
  });
});
