import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { apiRouteIndex } from "./lib/api-route-index";

/** Writes the index of API route modules the OpenAPI document is built from (scripts/lib/api-route-index.ts). */
const root = path.resolve(import.meta.dirname, "..");
const { file, content } = apiRouteIndex(root);
mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
writeFileSync(path.join(root, file), content);
console.log(`${file} written`);
