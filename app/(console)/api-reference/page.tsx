import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { API_ROUTES, API_VERSION } from "@/app/api/openapi.json/routes.generated";
import { openApiDocument, operationsByTag, SCOPED_PREFIX, type OpenApiParameter } from "@/lib/api/openapi";
import { pageUser } from "@/lib/auth/page-user";

export const metadata: Metadata = { title: "API reference" };
export const dynamic = "force-dynamic";

/** One parameter a line: name, where, whether required, its JSON Schema. */
function parameterLines(parameters: OpenApiParameter[]): string {
  const width = Math.max(...parameters.map((p) => p.name.length));
  return parameters
    .map(
      (p) =>
        `${p.name.padEnd(width)}  ${p.in.padEnd(5)}  ${p.required ? "required" : "optional"}  ${JSON.stringify(p.schema)}`,
    )
    .join("\n");
}

// The API as the OpenAPI document describes it (GET /api/openapi.json), built from the routes themselves.
export default async function ApiReferencePage() {
  await pageUser(undefined, "/api-reference");
  const document = await openApiDocument(API_ROUTES, API_VERSION);
  return (
    <div className="page page-wide">
      <h1>API reference</h1>
      <p className="lede">
        Every operation of the console&apos;s API, with the least role it needs. Send the session cookie or an{" "}
        <ScopedLink href="/tokens">API token</ScopedLink> as <code>Authorization: Bearer &lt;token&gt;</code>. Most
        paths also answer under <code>{SCOPED_PREFIX}</code>, for one environment and region. Failures have one body:{" "}
        <code>{"{ error: { code, message, issues?, details? } }"}</code>.
      </p>
      <p>
        <a className="button" href="/api/openapi.json" download="fanout-openapi.json">
          Download the OpenAPI {document.openapi} document
        </a>
      </p>
      {operationsByTag(document).map(({ tag, operations }) => (
        <section key={tag} className="api-group" aria-labelledby={`api-${tag}`}>
          <h2 id={`api-${tag}`}>
            <code>/api/{tag}</code>
          </h2>
          {operations.map(({ method, path, operation }) => (
            <article key={`${method} ${path}`} className="api-operation" aria-label={`${method} ${path}`}>
              <h3 className="api-operation-head">
                <span className={`api-method api-method-${method.toLowerCase()}`}>{method}</span>
                <code className="api-path">{path}</code>
                <span className="role-badge api-role" title="Least role">
                  {operation["x-fanout-least-role"]}
                </span>
              </h3>
              <p className="api-summary">{operation.summary}</p>
              <p className="muted api-description">
                {operation.description}
                {operation["x-fanout-scoped"] ? "" : " Not scoped to an environment."}
              </p>
              {operation.parameters.length > 0 && (
                <details>
                  <summary>Parameters ({operation.parameters.length})</summary>
                  <pre className="code small" tabIndex={0} aria-label={`Parameters of ${method} ${path}`}>
                    {parameterLines(operation.parameters)}
                  </pre>
                </details>
              )}
              {operation.requestBody && (
                <details>
                  <summary>JSON body</summary>
                  <pre className="code small api-body" tabIndex={0} aria-label={`Body of ${method} ${path}`}>
                    {JSON.stringify(operation.requestBody.content["application/json"].schema, null, 2)}
                  </pre>
                </details>
              )}
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
