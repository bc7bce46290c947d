import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsPath, createClient, confidentialClient, getClient, newCaller } from "../testing/clientApplicationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let document: OpenApi;
beforeAll(async () => {
  t = await startTestApi();
  document = (await t.http().get("/openapi.json")).body as OpenApi;
});
afterAll(async () => {
  await t.close();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { properties?: Record<string, Json>; required?: string[] };
type Operation = {
  operationId?: string;
  security?: Json[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: Json;
  responses?: Record<string, Json>;
};
type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation> & { parameters?: Operation["parameters"] }>;
  components: { schemas: Record<string, SchemaObject> };
};

const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Every `$ref` in the document, with where it was found. */
const refsIn = (value: Json, at = "#"): { at: string; ref: string }[] => {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${at}/${index}`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, member]) =>
    key === "$ref" && typeof member === "string" ? [{ at, ref: member }] : refsIn(member, `${at}/${key}`),
  );
};

/** Resolves a local JSON Pointer reference (RFC 6901) against the document. */
const resolve = (root: Json, ref: string): Json | undefined => {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = root;
  for (const token of ref
    .slice(2)
    .split("/")
    .map((part) => decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~"))) {
    if (node === null || typeof node !== "object" || !(token in node)) return undefined;
    node = (node as Record<string, Json>)[token];
  }
  return node;
};

const keysOf = (value: object): string[] => Object.keys(value).sort();

describe("GET /openapi.json", () => {
  it("serves an OpenAPI 3.1 document without a credential", async () => {
    const response = await t.http().get("/openapi.json");

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it("documents the client-application operations and their schemas", () => {
    expect(Object.keys(document.paths["/api/v1/clientapplications"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(document.paths["/api/v1/clientapplications/{clientId}"] ?? {})).toEqual(
      expect.arrayContaining(["get", "put", "patch", "delete"]),
    );
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/healthz", "/readyz"]));
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        "ClientApplication",
        "CreateClientApplicationRequest",
        "UpdateClientApplicationRequest",
        "PatchClientApplicationRequest",
        "Problem",
      ]),
    );
  });

  it("is self-contained: every $ref resolves inside the document, and no $id rebases one", () => {
    const refs = refsIn(document);

    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(({ ref }) => resolve(document as unknown as Json, ref) === undefined)).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('"$id"');
  });

  it("gives every operation a unique id and responses, and declares every path parameter", () => {
    const operationIds: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const method of methods.filter((name) => name in item)) {
        const operation = item[method] as Operation;
        operationIds.push(operation.operationId ?? `(none: ${method} ${path})`);
        expect(
          Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status)),
          `${method} ${path}`,
        ).toBe(true);
        const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])].filter((p) => p.in === "path");
        expect(declared.map((p) => [p.name, p.required]).sort(), `${method} ${path}`).toEqual(templated.map((name) => [name, true]).sort());
      }
    }
    expect(operationIds.length).toBeGreaterThanOrEqual(8);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("describes the resource, the created resource and the problem as the API really sends them", async () => {
    const caller = await newCaller(t);
    const created = await createClient(t, caller.auth, confidentialClient());
    const fetched = await getClient(t, caller.auth, created.body.clientId);
    const problem = await createClient(t, caller.auth, { displayName: 1 });
    const { ClientApplication, CreatedClientApplication, Problem } = document.components.schemas;

    expect(keysOf(ClientApplication?.properties ?? {})).toEqual(keysOf(fetched.body));
    expect([...(ClientApplication?.required ?? [])].sort()).toEqual(keysOf(fetched.body));
    expect(keysOf(CreatedClientApplication?.properties ?? {})).toEqual(keysOf(created.body));
    expect(keysOf(Problem?.properties ?? {})).toEqual(expect.arrayContaining(keysOf(problem.body)));
    expect(keysOf(problem.body)).toEqual(expect.arrayContaining(Problem?.required ?? []));
  });

  it("documents what every step before a handler can answer: 401/403/503 with a credential, 413/415 with a body", () => {
    const operations = Object.values(document.paths).flatMap((item) =>
      methods.filter((name) => name in item).map((name) => item[name] as Operation),
    );
    const statusesOf = (operation: Operation) => Object.keys(operation.responses ?? {});

    for (const operation of operations.filter((candidate) => candidate.security === undefined)) {
      expect(statusesOf(operation), operation.operationId).toEqual(expect.arrayContaining(["401", "403", "503"]));
    }
    for (const operation of operations.filter((candidate) => candidate.requestBody !== undefined)) {
      expect(statusesOf(operation), operation.operationId).toEqual(expect.arrayContaining(["400", "413", "415"]));
    }
    expect(statusesOf(document.paths["/api/v1/clientapplications/{clientId}/history"]?.get ?? {})).toContain("400");
    expect(statusesOf(document.paths["/api/v1/clientapplications/register/{client_id}"]?.put ?? {})).toEqual(
      expect.arrayContaining(["400", "401", "413", "415"]),
    );
  });

  it("documents the list query parameters the API accepts", () => {
    const parameters = document.paths[clientsPath]?.get?.parameters ?? [];

    expect(
      parameters
        .filter((p) => p.in === "query")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["cursor", "isActive", "isConfidential", "pageSize", "q"]);
  });
});

describe("GET /docs", () => {
  it("serves a page that renders the document with Swagger UI from this server", async () => {
    const response = await t.http().get("/docs");

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>');
    expect(response.text).toContain('href="/docs/assets/swagger-ui.css"');
    // Every script is external, so the Content-Security-Policy can forbid inline ones.
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.headers["content-security-policy"]).toMatch(/default-src 'self'/);
  });

  it("serves the Swagger UI assets and the script that points it at /openapi.json", async () => {
    const bundle = await t.http().get("/docs/assets/swagger-ui-bundle.js");
    const styles = await t.http().get("/docs/assets/swagger-ui.css");
    const init = await t.http().get("/docs/init.js");

    expect(bundle.status).toBe(200);
    expect(bundle.headers["content-type"]).toMatch(/^(application|text)\/javascript/);
    expect(Number(bundle.headers["content-length"])).toBeGreaterThan(100_000);
    expect([styles.status, styles.headers["content-type"]]).toEqual([200, expect.stringMatching(/^text\/css/)]);
    expect(init.status).toBe(200);
    expect(init.headers["content-type"]).toMatch(/^(application|text)\/javascript/);
    expect(init.text).toContain('"/openapi.json"');
  });

  it("answers an unknown asset with 404", async () => {
    expect((await t.http().get("/docs/assets/nothing.js")).status).toBe(404);
  });
});
