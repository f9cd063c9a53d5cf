// Runs once when the server starts: a bad configuration stops it here, with the fix, not on first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigOrExit } = await import("./lib/startup");
    validateConfigOrExit();
  }
}
