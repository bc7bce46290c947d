import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, clientsPath, confidentialClient, createClient, newCaller } from "../../testing/clientApplicationRequests.js";
import { expectProblem } from "../../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

type HeaderParameter = Readonly<{ name: string; in: string; schema: Readonly<{ pattern?: string }> }>;
type Document = Readonly<{ paths: Record<string, Record<string, Readonly<{ parameters?: readonly HeaderParameter[] }>>> }>;

let t: TestApi;
let document: Document;
beforeAll(async () => {
  t = await startTestApi();
  document = (await t.http().get("/openapi.json")).body as Document;
});
afterAll(async () => {
  await t.close();
});

const declaredPattern = (path: string, method: string, header: string): RegExp => {
  const parameter = document.paths[path]?.[method]?.parameters?.find((p) => p.in === "header" && p.name === header);
  expect(parameter?.schema.pattern, `${header} of ${method} ${path}`).toEqual(expect.any(String));
  return new RegExp(parameter?.schema.pattern ?? "");
};

describe("methods a known path does not have", () => {
  it.each([
    ["patch", clientsPath, "GET, POST, HEAD, OPTIONS"],
    ["post", "/api/v1/clientapplications/some-client", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"],
    ["delete", "/api/v1/activity_stream", "GET, HEAD, OPTIONS"],
    ["put", "/healthz", "GET, HEAD, OPTIONS"],
  ] as const)("answer %s %s with 405 and the Allow header, without a credential", async (method, path, allow) => {
    const response = await t.http()[method](path);

    expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.allow).toBe(allow);
  });

  it("treat the concrete registration path before the client-id template, as OpenAPI matches them", async () => {
    const response = await t.http().get("/api/v1/clientapplications/register");

    expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.allow).toBe("POST, OPTIONS");
  });

  it("answer OPTIONS with 204 and the Allow header", async () => {
    const response = await t.http().options(clientsPath);

    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("leave unknown paths a 404", async () => {
    expectProblem(await t.http().get("/api/v1/nothing-here"), 404, "route_not_found");
    expectProblem(await t.http().delete("/api/v1/clientapplications/a/b/c"), 404, "route_not_found");
  });
});

describe("declared header formats", () => {
  it("X-Min-Position: the declared pattern takes a real X-Position, and the server refuses what it does not match", async () => {
    const caller = await newCaller(t);
    const created = await createClient(t, caller.auth, confidentialClient());
    const position = String(created.headers["x-position"]);
    const pattern = declaredPattern("/api/v1/clientapplications/{clientId}", "get", "X-Min-Position");
    const read = (value: string) =>
      t.http().get(clientPath(created.body.clientId)).set("Authorization", caller.auth).set("X-Min-Position", value);

    expect(position).toMatch(pattern);
    expect((await read(position)).status).toBe(200);
    for (const refused of ["0", "A".repeat(32), `${position}0`]) {
      expect(refused).not.toMatch(pattern);
      expectProblem(await read(refused), 400, "invalid_position");
    }
  });

  it("Idempotency-Key: values the declared pattern takes are honoured, values it does not are refused with 400", async () => {
    const caller = await newCaller(t);
    const pattern = declaredPattern(clientsPath, "post", "Idempotency-Key");
    const post = (key: string) =>
      t.http().post(clientsPath).set("Authorization", caller.auth).set("Idempotency-Key", key).send(confidentialClient());

    for (const accepted of ["a", "key with inner spaces", "~".repeat(255)]) {
      expect(accepted).toMatch(pattern);
      expect((await post(accepted)).status).toBe(201);
    }
    for (const refused of ["é", "x".repeat(256)]) {
      expect(refused).not.toMatch(pattern);
      expectProblem(await post(refused), 400, "invalid_idempotency_key");
    }
  });
});
