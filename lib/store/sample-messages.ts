import "server-only";
import type Database from "better-sqlite3";
import type { MessageAttribute } from "../domain/filter-policy/types";
import type { SavedSampleMessage } from "../domain/saved-sample";

export type { SavedSampleMessage };

interface SampleRow {
  id: number;
  name: string;
  body: string;
  attributes_json: string;
  created_by: string;
  created_at: string;
}

const fromRow = (r: SampleRow): SavedSampleMessage => ({
  id: r.id,
  name: r.name,
  body: r.body,
  attributes: JSON.parse(r.attributes_json) as Record<string, MessageAttribute>,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export function listSampleMessages(db: Database.Database): SavedSampleMessage[] {
  return (db.prepare("SELECT * FROM sample_messages ORDER BY name").all() as SampleRow[]).map(fromRow);
}

export function getSampleMessage(db: Database.Database, id: number): SavedSampleMessage | undefined {
  const row = db.prepare("SELECT * FROM sample_messages WHERE id = ?").get(id) as SampleRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function findSampleMessageByName(db: Database.Database, name: string): SavedSampleMessage | undefined {
  const row = db.prepare("SELECT * FROM sample_messages WHERE name = ?").get(name) as SampleRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function addSampleMessage(
  db: Database.Database,
  sample: Omit<SavedSampleMessage, "id" | "createdAt">,
): SavedSampleMessage {
  const createdAt = new Date().toISOString();
  const result = db
    .prepare("INSERT INTO sample_messages (name, body, attributes_json, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
    .run(sample.name, sample.body, JSON.stringify(sample.attributes), sample.createdBy, createdAt);
  return { ...sample, id: Number(result.lastInsertRowid), createdAt };
}

export function deleteSampleMessage(db: Database.Database, id: number): boolean {
  return db.prepare("DELETE FROM sample_messages WHERE id = ?").run(id).changes > 0;
}
