import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The code is linted as text under a made-up path, which no TypeScript project holds: the type-aware
// rules (which need one) are left out here; they are checked on the real files by `npm run lint`.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      "@typescript-eslint/no-floating-promises": "off",
      "@typescript-eslint/no-misused-promises": "off",
      "@typescript-eslint/await-thenable": "off",
    },
  },
});

async function ruleIdsFor(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

// The first lint loads ESLint's plugins and configuration: seconds on a busy machine.
describe("the lint rules that keep lib/domain pure", { timeout: 60_000 }, () => {
  it.each([
    ["the AWS SDK", 'import { SQSClient } from "@aws-sdk/client-sqs";\nexport const x = SQSClient;\n'],
    ["Next.js", 'import { redirect } from "next/navigation";\nexport const x = redirect;\n'],
    ["React", 'import { useState } from "react";\nexport const x = useState;\n'],
    ["lib/aws", 'import { getClients } from "../aws/clients";\nexport const x = getClients;\n'],
  ])("forbid importing %s", async (_label, code) => {
    expect(await ruleIdsFor("lib/domain/example.ts", code)).toContain("no-restricted-imports");
  });

  it("forbid reading process.env", async () => {
    expect(await ruleIdsFor("lib/domain/example.ts", "export const region = process.env.AWS_REGION;\n")).toContain(
      "no-restricted-properties",
    );
  });

  it("allow the same imports outside lib/domain", async () => {
    expect(
      await ruleIdsFor(
        "lib/aws/example.ts",
        'import { SQSClient } from "@aws-sdk/client-sqs";\nexport const x = SQSClient;\n',
      ),
    ).toEqual([]);
  });
});
