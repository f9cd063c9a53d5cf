// Runs once when the server starts: a bad configuration stops it here, with the fix, not on first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigOrExit } = await import("./lib/startup");
    validateConfigOrExit();
    // Redrive jobs a stopped console left running carry on where they stopped (at serve time, not build time).
    if (process.env.NEXT_PHASE === "phase-production-build") return;
    // Start-up acts as the console itself: each job in its own environment and region.
    const { getConfig } = await import("./lib/env");
    const { contextFromConfig, systemActor } = await import("./lib/request-context");
    const config = getConfig();
    const ctx = contextFromConfig(config, systemActor);
    const { resumeRedriveJobs } = await import("./lib/operations/redrive");
    const { resumed, leftAlone } = await resumeRedriveJobs((scope) =>
      contextFromConfig(config, systemActor, undefined, scope),
    );
    if (resumed) console.log(`[redrive] resumed ${resumed} job(s) left running`);
    for (const job of leftAlone)
      console.error(
        `[redrive] job ${job.jobId} was left running in ${job.scope.environment} (${job.scope.region}) and stays as it is, ` +
          `not resumed: ${job.reason} Configure that environment and region again to resume it.`,
      );
    // Recent events come from the tap queue, when one is configured (other environments' readers start on first use).
    const { ensureTapReader } = await import("./lib/operations/pipeline-samples");
    ensureTapReader(ctx);
  }
}
