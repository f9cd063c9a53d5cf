import { runRedriveJob } from "../lib/operations/redrive-engine";
import { testContext } from "./context";

/**
 * Runs one redrive job in a process of its own, for the crash test. With a crash point it kills
 * itself (SIGKILL: no cleanup, no finally) at that point of the given batch, as a power cut would.
 *
 *   tsx --conditions=react-server test/redrive-worker.ts <jobId> [afterSendRequest|afterSendRecorded] [batch]
 */
const [jobId, crashPoint, crashBatch] = process.argv.slice(2);
if (!jobId) throw new Error("usage: redrive-worker.ts <jobId> [crashPoint batch]");

const crash = (batch: number) => {
  if (batch === Number(crashBatch)) process.kill(process.pid, "SIGKILL");
};
const hooks =
  crashPoint === "afterSendRequest"
    ? { afterSendRequest: crash }
    : crashPoint === "afterSendRecorded"
      ? { afterSendRecorded: crash }
      : {};

// The parent test passes its endpoint and data dir through the environment.
runRedriveJob(testContext(), jobId, { hooks }).then(
  (job) => console.log(JSON.stringify(job ?? null)),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
