// Runs once when the server starts: a bad configuration stops it here, with the fix, not on first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigOrExit } = await import("./lib/startup");
    validateConfigOrExit();
    // Redrive jobs a stopped console left running carry on where they stopped (at serve time, not build time).
    if (process.env.NEXT_PHASE === "phase-production-build") return;
    // Start-up acts as the console itself: each job in its own environment and region. Jobs left
    // running are picked up, here and every few seconds after; the leader replica drains the taps.
    const { getConfig } = await import("./lib/env");
    const { startBackgroundWork, stopBackgroundWork } = await import("./lib/background");
    await startBackgroundWork(getConfig());
    // Graceful shutdown where the console handles the signals (npm start and the demo set
    // NEXT_MANUAL_SIG_HANDLE): jobs, letters and the leader lease are handed back before the exit.
    if (process.env.NEXT_MANUAL_SIG_HANDLE) {
      for (const [signal, code] of [
        ["SIGTERM", 143],
        ["SIGINT", 130],
      ] as const)
        process.once(signal, () => {
          console.log(`[shutdown] ${signal}: handing back jobs, letters and leases`);
          void stopBackgroundWork().finally(() => process.exit(code));
        });
    }
  }
}
