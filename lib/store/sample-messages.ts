import "server-only";
import type { Selectable } from "kysely";
import type { Store } from "./db";
import type { SampleMessagesTable } from "./schema";
import type { MessageAttribute } from "../domain/filter-policy/types";
import type { SavedSampleMessage } from "../domain/saved-sample";

export type { SavedSampleMessage };

const fromRow = (r: Selectable<SampleMessagesTable>): SavedSampleMessage => ({
  id: r.id,
  name: r.name,
  body: r.body,
  attributes: JSON.parse(r.attributes_json) as Record<string, MessageAttribute>,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export async function listSampleMessages(db: Store): Promise<SavedSampleMessage[]> {
  return (await db.selectFrom("sample_messages").selectAll().orderBy("name").execute()).map(fromRow);
}

export async function getSampleMessage(db: Store, id: number): Promise<SavedSampleMessage | undefined> {
  const row = await db.selectFrom("sample_messages").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findSampleMessageByName(db: Store, name: string): Promise<SavedSampleMessage | undefined> {
  const row = await db.selectFrom("sample_messages").selectAll().where("name", "=", name).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function addSampleMessage(
  db: Store,
  sample: Omit<SavedSampleMessage, "id" | "createdAt">,
): Promise<SavedSampleMessage> {
  const createdAt = new Date().toISOString();
  const { id } = await db
    .insertInto("sample_messages")
    .values({
      name: sample.name,
      body: sample.body,
      attributes_json: JSON.stringify(sample.attributes),
      created_by: sample.createdBy,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ...sample, id, createdAt };
}

export async function deleteSampleMessage(db: Store, id: number): Promise<boolean> {
  const result = await db.deleteFrom("sample_messages").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
