import "server-only";
import path from "node:path";
import { getConfig, type Config } from "../env";
import { processSingleton } from "../process-singleton";
import { openStore, type Store, type StoreLocation } from "./db";

export type { Store };
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

/** Where a configuration keeps the store: `FANOUT_DATABASE_URL`'s PostgreSQL, else `$FANOUT_DATA_DIR/fanout.db`. */
export const storeLocation = (config: Pick<Config, "databaseUrl" | "dataDir">): StoreLocation => ({
  databaseUrl: config.databaseUrl,
  sqliteFile: path.join(config.dataDir, "fanout.db"),
});

const opened = processSingleton("store", () => ({ store: undefined as Promise<Store> | undefined }));

/**
 * The store of this process, opened (and migrated) on first use; a store that could not be opened is
 * tried again on the next use. Rows written before environments belong to `default` in AWS_REGION,
 * the region the console acted in then.
 */
export function getStore(): Promise<Store> {
  if (!opened.store) {
    const config = getConfig();
    opened.store = openStore(storeLocation(config), { region: config.region });
    opened.store.catch(() => (opened.store = undefined));
  }
  return opened.store;
}

/** Closes the store (graceful shutdown): the next use opens it again. */
export async function closeStore(): Promise<void> {
  const store = opened.store;
  opened.store = undefined;
  if (store) await (await store.catch(() => undefined))?.destroy();
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
  type JobClaim,
  type NewRedriveJob,
  type RedriveItem,
  type RedriveJob,
  type RedriveSelection,
} from "./redrive-jobs";
export { addRecentEvents, listRecentEvents, RECENT_EVENTS_KEPT, type RecentEvent } from "./recent-events";
export {
  endSessionRow,
  endSessionsOfUser,
  findSession,
  insertSession,
  latestSessionOf,
  type SessionRecord,
} from "./sessions";
export { acquireLease, leaseHolder, releaseLease, type HeldLease } from "./leases";
export { listDlqRemovals, recordDlqRemoval, type DlqRemoval, type DlqRemovalSource } from "./dlq-removals";
export { attemptSignIn, signInSucceeded } from "./sign-in-limits";
export {
  findApiToken,
  insertApiToken,
  listApiTokens,
  noteApiTokenUse,
  revokeApiToken,
  type ApiTokenRecord,
  type NewApiToken,
} from "./api-tokens";
export {
  addSilence,
  endSilence,
  getSilence,
  listAlertStates,
  listDlqDepthReadings,
  listSilences,
  saveAlertState,
  saveDlqDepthReadings,
  type NewDelivery,
} from "./alerts";
export {
  addAlertDestination,
  getAlertDestination,
  listAlertDestinations,
  removeAlertDestination,
  type StoredAlertDestination,
} from "./alert-destinations";
export {
  claimDueDeliveries,
  listDeliveries,
  pruneDeliveries,
  settleDelivery,
  type ClaimedDelivery,
  type Delivery,
  type TryOutcome,
} from "./alert-outbox";
