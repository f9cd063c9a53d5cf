import { openApiDocument } from "@/lib/api/openapi";
import { withSession } from "@/lib/api/with-session";
import { API_ROUTES, API_VERSION } from "./routes.generated";

export const dynamic = "force-dynamic";

// GET /api/openapi.json — this API as an OpenAPI 3.1 document, built from the routes' own schemas and the access table.
export const GET = withSession("GET /api/openapi.json", async () => openApiDocument(API_ROUTES, API_VERSION));
