import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startService, type ServiceProcess } from "./serviceProcess.js";

type Answer = Readonly<{ status: number; body: Record<string, unknown> }>;

let dataDir: string;
let service: ServiceProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "clientapps-blackbox-"));
});
afterEach(async () => {
  await service?.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

it("stores no secret it hands out: not in the event store, the read models or its output", async () => {
  service = await startService(dataDir);
  const adminToken = service.announcedToken!;
  const handedOut = new Map<string, string>();

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token = adminToken,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`${service!.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const keep = (what: string, value: unknown) => {
    expect(typeof value, what).toBe("string");
    handedOut.set(what, value as string);
  };

  // Admin-made client, created with an Idempotency-Key and replayed: the replay must hand back the
  // same secret, which the server therefore keeps for a while — but never in plain text.
  const create = { clientId: "scan", displayName: "Scan", redirectUris: ["https://scan.example.com/cb"] };
  const created = await call("POST", "/api/v1/clientapplications", create, adminToken, { "Idempotency-Key": "scan-create-1" });
  expect(created.status).toBe(201);
  keep("first client secret", created.body.clientSecret);
  const replayed = await call("POST", "/api/v1/clientapplications", create, adminToken, { "Idempotency-Key": "scan-create-1" });
  expect(replayed.body.clientSecret).toBe(created.body.clientSecret);

  const rotated = await call("POST", "/api/v1/clientapplications/scan/secret", { gracePeriodSeconds: 3600 });
  expect(rotated.status).toBe(200);
  keep("rotated client secret", rotated.body.clientSecret);

  const key = await call("POST", "/api/v1/clientapplications/scan/apikeys", { name: "ci", scopes: ["clientapps:read"] });
  expect(key.status).toBe(201);
  keep("api key", key.body.key);
  const registrar = await call("POST", "/api/v1/clientapplications/scan/apikeys", { name: "registrar", scopes: ["clientapps:register"] });
  keep("initial access token", registrar.body.key);
  expect((await call("GET", "/api/v1/clientapplications/scan", undefined, key.body.key as string)).status).toBe(200);
  const introspected = await call("POST", "/api/v1/credentials/introspect", { token: rotated.body.clientSecret, client_id: "scan" });
  expect(introspected.body.active).toBe(true);

  const registered = await call(
    "POST",
    "/api/v1/clientapplications/register",
    { client_name: "Self-registered", redirect_uris: ["https://self.example.com/cb"] },
    registrar.body.key as string,
  );
  expect(registered.status).toBe(201);
  keep("dcr client secret", registered.body.client_secret);
  keep("registration access token", registered.body.registration_access_token);
  const managementPath = new URL(registered.body.registration_client_uri as string).pathname;
  const updated = await call(
    "PUT",
    managementPath,
    { client_id: registered.body.client_id, client_name: "Renamed", redirect_uris: ["https://self.example.com/cb"] },
    registered.body.registration_access_token as string,
  );
  expect(updated.status).toBe(200);
  keep("rotated registration access token", updated.body.registration_access_token);

  expect((await call("DELETE", `/api/v1/clientapplications/scan/apikeys/${key.body.id as string}`)).status).toBe(204);
  expect((await call("DELETE", managementPath, undefined, updated.body.registration_access_token as string)).status).toBe(204);
  expect((await call("DELETE", "/api/v1/clientapplications/scan")).status).toBe(204);

  // A bad secret in a request must not end up in a log line either.
  expect((await call("GET", "/api/v1/clientapplications", undefined, `${key.body.key as string}x`)).status).toBe(401);
  handedOut.set("mistyped api key", `${key.body.key as string}x`);

  // Stop the way an operator would, so every file is complete, then read every byte it left.
  expect(await service.kill("SIGTERM")).toBe(0);
  const stored = readdirSync(dataDir).map((name) => ({ name, bytes: readFileSync(join(dataDir, name)) }));
  expect(stored.map((file) => file.name)).toEqual(expect.arrayContaining(["events.sqlite", "read-models.sqlite"]));
  const output = service.output();
  // Controls: the scan sees what was stored and logged, so "not found" below means something.
  expect(output).toContain('"msg":"request"');
  const storedText = (needle: string) => stored.some((file) => file.bytes.includes(Buffer.from(needle, "utf8")));
  expect(storedText('"displayName":"Scan"'), "the client's events are in the files read").toBe(true);
  expect(
    storedText(created.body.secrets ? (created.body.secrets as { fingerprint: string }[])[0]!.fingerprint : "?"),
    "fingerprints are stored",
  ).toBe(true);

  for (const [what, secret] of handedOut) {
    for (const file of stored) expect(file.bytes.includes(Buffer.from(secret, "utf8")), `${what} in ${file.name}`).toBe(false);
    expect(output.includes(secret), `${what} in the output`).toBe(false);
  }
  // The admin token is shown once, in its announcement, and in no log line.
  for (const line of output.split("\n").filter((text) => text.startsWith("{"))) expect(line).not.toContain(adminToken);
  for (const file of stored) expect(file.bytes.includes(Buffer.from(adminToken, "utf8")), `admin token in ${file.name}`).toBe(false);
});
