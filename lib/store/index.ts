import "server-only";
import path from "node:path";
import type Database from "better-sqlite3";
import { getConfig } from "../env";
import { openDatabase } from "./db";

export { appendAudit, listAudit, type AuditEntry, type AuditFilter, type NewAuditEntry } from "./audit";
export { addPolicyVersion, getPolicyVersion, listPolicyVersions, type PolicyVersion } from "./policy-history";
export {
  addSampleMessage,
  deleteSampleMessage,
  findSampleMessageByName,
  getSampleMessage,
  listSampleMessages,
  type SavedSampleMessage,
} from "./sample-messages";

let db: Database.Database | undefined;

/**
 * The store of this process, in `$FANOUT_DATA_DIR/fanout.db`, opened (and migrated) on first use. Rows
 * written before environments belong to `default` in AWS_REGION, the region the console acted in then.
 */
export function getStore(): Database.Database {
  if (!db) {
    const config = getConfig();
    db = openDatabase(path.join(config.dataDir, "fanout.db"), { region: config.region });
  }
  return db;
}
export {
  claimRedriveJob,
  createRedriveJob,
  findRedriveJobByClientKey,
  getRedriveJob,
  heartbeatRedriveJob,
  listRedriveItems,
  listRedriveJobs,
  recordRedriveItems,
  releaseRedriveJob,
  updateRedriveJob,
  type ItemState,
  type NewRedriveJob,
  type RedriveItem,
  type RedriveJob,
  type RedriveSelection,
} from "./redrive-jobs";
export { addRecentEvents, listRecentEvents, RECENT_EVENTS_KEPT, type RecentEvent } from "./recent-events";
export { endSessionRow, endSessionsOfUser, findSession, insertSession, type SessionRecord } from "./sessions";
export { listDlqRemovals, recordDlqRemoval, type DlqRemoval, type DlqRemovalSource } from "./dlq-removals";
