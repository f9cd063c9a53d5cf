import { describe, expect, it } from "vitest";
import {
  addAlertDestination,
  getAlertDestination,
  listAlertDestinations,
  removeAlertDestination,
  type StoredAlertDestination,
} from "./alert-destinations";
import { STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";

const destination = (id: string, extra: Partial<StoredAlertDestination> = {}): StoredAlertDestination => ({
  id,
  environment: "default",
  name: `team-${id}`,
  kind: "slack",
  target: "https://hooks.slack.com",
  sealed: `v1.sealed-${id}`,
  createdBy: "ana",
  createdAt: 1_000,
  ...extra,
});

describe.each(STORE_BACKENDS)("alert destinations in the store (%s)", (backend) => {
  it("keeps them per environment, oldest first, a name once per environment", async () => {
    const db = await temporaryStore(backend, "fanout-destinations-");
    expect(await addAlertDestination(db, destination("a"))).toBe(true);
    expect(await addAlertDestination(db, destination("b", { createdAt: 2_000, kind: "pagerduty" }))).toBe(true);
    expect(await addAlertDestination(db, destination("c", { name: "team-a" }))).toBe(false);
    expect(await addAlertDestination(db, destination("d", { name: "team-a", environment: "staging" }))).toBe(true);
    expect(await listAlertDestinations(db, "default")).toEqual([
      destination("a"),
      destination("b", { createdAt: 2_000, kind: "pagerduty" }),
    ]);
    expect((await listAlertDestinations(db, "staging")).map((d) => d.id)).toEqual(["d"]);
    expect(await getAlertDestination(db, "d")).toEqual(destination("d", { name: "team-a", environment: "staging" }));
    expect(await getAlertDestination(db, "c")).toBeUndefined();
    await db.destroy();
  });

  it("removes one of its environment only, once", async () => {
    const db = await temporaryStore(backend, "fanout-destinations-");
    await addAlertDestination(db, destination("a"));
    expect(await removeAlertDestination(db, "staging", "a")).toBeUndefined();
    expect(await removeAlertDestination(db, "default", "a")).toEqual(destination("a"));
    expect(await removeAlertDestination(db, "default", "a")).toBeUndefined();
    expect(await listAlertDestinations(db, "default")).toEqual([]);
    await db.destroy();
  });
});
