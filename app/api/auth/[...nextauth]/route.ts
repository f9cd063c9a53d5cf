import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };

// GET|POST /api/auth/* — next-auth's sign-in, callback, session and sign-out endpoints.
async function handler(req: Request, context: NextAuthContext) {
  return NextAuth(req as never, context as never, getAuthOptions());
}

export { handler as GET, handler as POST };
