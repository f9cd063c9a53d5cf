import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/options";
import { errorResponse, readBodyText } from "@/lib/api/respond";

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };

/** A sign-in or sign-out form is a few hundred bytes; anything much larger is refused unread. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

// GET|POST /api/auth/* — next-auth's sign-in, callback, session and sign-out endpoints, reached
// without a session: the body is capped before next-auth reads it.
async function handler(req: NextRequest, context: NextAuthContext) {
  let capped: NextRequest = req;
  if (req.method === "POST") {
    try {
      const body = await readBodyText(req, MAX_AUTH_BODY_BYTES);
      capped = new NextRequest(req.url, { method: req.method, headers: req.headers, body });
    } catch (err) {
      return errorResponse(err);
    }
  }
  return NextAuth(capped as never, context as never, getAuthOptions());
}

export { handler as GET, handler as POST };
