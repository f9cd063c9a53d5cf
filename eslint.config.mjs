import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".venv/**", ".fanout/**", ".test-output/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Server code awaits what it starts: a store write or an audit entry left floating could be lost
    // without an error (the store is asynchronous). Type-aware, so only where it matters.
    files: [
      "lib/**/*.ts",
      "app/**/*.ts",
      "scripts/**/*.ts",
      "bench/**/*.ts",
      "infra/**/*.ts",
      "cli/**/*.ts",
      "test/**/*.ts",
      "instrumentation.ts",
    ],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    // The domain is pure: no AWS, no framework, no environment. It is unit-tested without any of them.
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@aws-sdk/*"], message: "lib/domain is pure: AWS calls belong in lib/aws." },
            { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "lib/domain is pure: no Next.js." },
            { group: ["react", "react-dom", "react/*"], message: "lib/domain is pure: no React." },
            {
              group: ["@/lib/aws/*", "**/lib/aws/*", "../aws/*", "../../aws/*"],
              message: "lib/domain must not call AWS.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "lib/domain is pure: take configuration as an argument." },
      ],
    },
  },
  {
    // Route handlers stay thin: AWS is reached through lib/aws only.
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@aws-sdk/*"], message: "Call lib/aws instead of the SDK." }] },
      ],
    },
  },
);
