#!/usr/bin/env node
// The `fanout` command (package.json "bin"): the command line in cli/, run from its TypeScript
// sources through tsx, which the project already has, so nothing is built or installed for it.
import { createRequire } from "node:module";
import { register } from "tsx/cjs/api";

register();
const { main } = createRequire(import.meta.url)("../cli/main.ts");
await main();
