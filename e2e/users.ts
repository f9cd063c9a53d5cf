/** Test users, one per role; plain passwords are accepted because the endpoint is loopback. */
export const e2eUsers = [
  { username: "vera", password: "vera-password-1", role: "viewer" },
  { username: "otto", password: "otto-password-1", role: "operator" },
  { username: "ada", password: "ada-password-1", role: "admin" },
] as const;
