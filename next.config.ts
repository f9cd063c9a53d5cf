import type { NextConfig } from "next";
import { API_CSP, SECURITY_HEADERS } from "./lib/api/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The AWS SDK and bcrypt stay server-side Node modules rather than bundled copies.
  serverExternalPackages: ["bcryptjs", "better-sqlite3"],
  // Lint and typecheck run in `npm test`, not again inside every build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
