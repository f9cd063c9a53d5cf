import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function ruleIdsFor(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

describe("the lint rules that keep lib/domain pure", () => {
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
