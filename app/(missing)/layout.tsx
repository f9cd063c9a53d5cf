// The console's layout (session check and shell) without its loading boundary: a missing page's 404
// is decided before anything is streamed, so the answer's status is 404 rather than 200.
export const dynamic = "force-dynamic";
export { default } from "../(console)/layout";
