// Runs once when the server starts: a bad configuration stops it here, with the fix, not on first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigOrExit } = await import("./lib/startup");
    validateConfigOrExit();
    // Redrive jobs a stopped console left running carry on where they stopped (at serve time, not build time).
    if (process.env.NEXT_PHASE === "phase-production-build") return;
    // Start-up acts as the console itself, in the configured environment.
    const { getConfig } = await import("./lib/env");
    const { contextFromConfig, systemActor } = await import("./lib/request-context");
    const ctx = contextFromConfig(getConfig(), systemActor);
    const { resumeRedriveJobs } = await import("./lib/operations/redrive");
    const resumed = resumeRedriveJobs(ctx);
    if (resumed) console.log(`[redrive] resumed ${resumed} job(s) left running`);
    // Recent events come from the tap queue, when one is configured.
    const { ensureTapReader } = await import("./lib/operations/pipeline-samples");
    ensureTapReader(ctx);
  }
}
