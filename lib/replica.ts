import { randomUUID } from "node:crypto";
import os from "node:os";

/**
 * What this console process calls itself where replicas meet in the store (redrive job claims,
 * leases): `<replica>/<pid>/<boot id>`, the replica being FANOUT_REPLICA_NAME or the host name, the
 * boot id guarding against a reused pid.
 */
export const replicaName = (): string => process.env.FANOUT_REPLICA_NAME || os.hostname();

export const processOwner = `${replicaName()}/${process.pid}/${randomUUID().slice(0, 8)}`;
