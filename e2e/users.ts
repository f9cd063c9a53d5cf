import bcrypt from "bcryptjs";

/**
 * Test users, one per role, one that a test removes while signed in, a contractor: operator in
 * staging, viewer in production (the default environment), and a team member bound to their team's queues.
 */
export const e2eUsers = [
  { username: "vera", password: "vera-password-1", role: "viewer" },
  { username: "otto", password: "otto-password-1", role: "operator" },
  { username: "ada", password: "ada-password-1", role: "admin" },
  { username: "temp", password: "temp-password-1", role: "viewer" },
  { username: "cora", password: "cora-password-1", role: "viewer", roles: { staging: "operator" } },
  // The payments team: reads everything, operates its own queues only (a role binding on an ARN pattern).
  {
    username: "pat",
    password: "pat-password-1",
    role: "viewer",
    bindings: [{ role: "operator", environments: ["*"], resources: ["arn:aws:sqs:*:*:e2e-payments*"] }],
  },
] as const;

/** The users file the e2e console reads: bcrypt hashes as the demo writes them (low cost, for speed). */
export function usersFileContent(users: ReadonlyArray<(typeof e2eUsers)[number]> = e2eUsers): string {
  return JSON.stringify(
    users.map(({ username, password, ...roles }) => ({
      username,
      ...roles,
      passwordHash: bcrypt.hashSync(password, 4),
    })),
  );
}
