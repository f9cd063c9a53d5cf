import "server-only";
import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from "kysely";
import { Migrator } from "kysely";
import pg from "pg";
import { processSingleton } from "../process-singleton";
import { LEGACY_FINAL_VERSION, upgradeLegacySqlite, type LegacyScope } from "./legacy-sqlite";
import { storeMigrations, type StoreBackend } from "./migrations";
import type { StoreTables } from "./schema";

export type { LegacyScope, StoreBackend };

/**
 * The console's own durable state (audit log, filter-policy history, sample messages, redrive jobs,
 * recent events, sessions) in one of two databases, behind one schema and one set of queries built
 * with Kysely: SQLite in the data dir (the embedded default) or PostgreSQL (`FANOUT_DATABASE_URL`),
 * which several console replicas share. Rows of AWS-side data carry the environment and region they
 * belong to (lib/domain/scope.ts's Scope).
 */
export type Store = Kysely<StoreTables>;

export interface StoreLocation {
  /** `postgres://…`: the store is in that PostgreSQL database. */
  databaseUrl?: string;
  /** Otherwise this SQLite file (created owner-only). */
  sqliteFile: string;
}

export const backendOf = (location: StoreLocation): StoreBackend => (location.databaseUrl ? "postgresql" : "sqlite");

/** PostgreSQL's bigint (epoch milliseconds, counts) read as numbers: every value the store keeps fits in 2^53. */
const BIGINT_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === BIGINT_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * SQLite's schema changes are transactional, though Kysely's adapter says otherwise: with this, a
 * migration that fails leaves nothing half made.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl() {
    return true;
  }
}
class StoreSqliteDialect extends SqliteDialect {
  override createAdapter() {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * The backend of each store connectStore made, for the whole process: Next.js may load this module
 * once per route bundle, while the store itself is opened once (lib/store/index.ts).
 */
const backends = processSingleton("storeBackends", () => new WeakMap<Store, StoreBackend>());

/**
 * Which database a store is in, for the rare query only one of them needs (a PostgreSQL lock that
 * SQLite's single connection makes needless).
 */
export function storeBackendOf(db: Store): StoreBackend {
  const backend = backends.get(db);
  if (!backend) throw new Error("storeBackendOf takes a store made by connectStore, not a transaction");
  return backend;
}

/** A connection to the store as it is, without migrating it (`npm run db:migrate` and tests migrate explicitly). */
export function connectStore(
  location: StoreLocation,
  legacy: LegacyScope = { region: "us-east-1" },
): { db: Store; adoptLegacy: boolean } {
  if (location.databaseUrl) {
    // A database that does not answer fails a request in 5 s instead of holding it.
    const pool = new pg.Pool({
      connectionString: location.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 5_000,
      types: pgTypes,
    });
    const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
    backends.set(db, "postgresql");
    return { db, adoptLegacy: false };
  }
  const database = openSqliteFile(location.sqliteFile);
  const adoptLegacy = upgradeLegacySqlite(database, legacy);
  const db = new Kysely<StoreTables>({ dialect: new StoreSqliteDialect({ database }) });
  backends.set(db, "sqlite");
  return { db, adoptLegacy };
}

/**
 * Applies the migrations not yet applied, each in a transaction, under the migrator's lock (in
 * PostgreSQL an advisory lock: replicas starting together migrate one after the other); what it
 * applied, by name. A SQLite store belongs to one process.
 */
export async function migrateStore(db: Store, backend: StoreBackend, adoptLegacy = false): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(backend, adoptLegacy) },
    migrationTableName: "store_migrations",
    migrationLockTableName: "store_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    // A migration that failed is the schema's problem; anything else (no connection) the store's.
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw failed ? new StoreMigrationError(error, failed) : error;
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** The names of the migrations this code knows and whether each is applied. */
export async function storeMigrationState(
  db: Store,
  backend: StoreBackend,
): Promise<{ name: string; applied: boolean }[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(backend, false) },
    migrationTableName: "store_migrations",
    migrationLockTableName: "store_migrations_lock",
  });
  return (await migrator.getMigrations()).map((m) => ({ name: m.name, applied: m.executedAt !== undefined }));
}

/** A migration failed: the store answers, but is not at the schema this code needs. */
export class StoreMigrationError extends Error {
  constructor(
    cause: unknown,
    readonly migration: string | undefined,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`the store could not be migrated: ${migration ? `migration ${migration} failed: ` : ""}${message}`, {
      cause,
    });
    this.name = "StoreMigrationError";
  }
}

/** Opens (creating and migrating) the store. `legacy` says where rows written before environments belong. */
export async function openStore(location: StoreLocation, legacy?: LegacyScope): Promise<Store> {
  const { db, adoptLegacy } = connectStore(location, legacy);
  try {
    await migrateStore(db, backendOf(location), adoptLegacy);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** The SQLite file, owner-only whoever made its directory: it holds the audit trail and the sessions. */
function openSqliteFile(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // SQLite gives its -wal and -shm files the database file's permissions.
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
  const database = new Database(file);
  database.pragma("journal_mode = WAL");
  database.pragma("busy_timeout = 5000");
  return database;
}

/** A legacy SQLite file as an older console left it, at `version`: for tests of the upgrade. */
export function createLegacySqliteFile(
  file: string,
  version: number,
  legacy: LegacyScope = { region: "us-east-1" },
): Database.Database {
  if (version > LEGACY_FINAL_VERSION) throw new Error(`legacy versions end at ${LEGACY_FINAL_VERSION}`);
  const database = openSqliteFile(file);
  upgradeLegacySqlite(database, legacy, version);
  return database;
}
