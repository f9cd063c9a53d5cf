/** An environment of FANOUT_ENVIRONMENTS reached through the default chain, with `extra` fields. */
export const environmentEntry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  accountId: "222222222222",
  regions: ["eu-west-1"],
  credentials: { source: "default" },
  ...extra,
});

/** Inline FANOUT_ENVIRONMENTS of plain environments with these ids. */
export const environmentsValue = (...ids: string[]) => JSON.stringify(ids.map((id) => environmentEntry(id)));
