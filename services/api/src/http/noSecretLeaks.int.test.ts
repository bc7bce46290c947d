import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  clientsPath,
  confidentialClient,
  createClient,
  getClient,
  givenClient,
  listClients,
  newCaller,
} from "../testing/clientApplicationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { createWorkspace, getWorkspace, issueAdminToken, lifecycle, workspacesPath } from "../testing/workspaceRequests.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

describe("secrets", () => {
  it("appear in neither the logs nor an error answer: no client secret handed out, no credential presented", async () => {
    const caller = await newCaller(t);
    const reader = await t.bearer(caller.workspaceId, ["clientapps:read"]);
    const presented = [caller.auth, reader].map((header) => header.slice("Bearer ".length));
    const secrets: string[] = [];
    const answers: string[] = [];

    for (let index = 0; index < 3; index++) {
      const created = await createClient(t, caller.auth, confidentialClient({ clientId: `secretive-${index}` })).set(
        "X-Request-Id",
        `leak-check-${index}`,
      );
      expect(created.status).toBe(201);
      secrets.push(created.body.clientSecret as string);
    }
    const [secret] = secrets as [string];

    // Requests that fail in the ways most likely to echo what they were sent.
    const unknownToken = generateCredential("adminToken");
    presented.push(unknownToken);
    answers.push(
      (await listClients(t, `Bearer ${unknownToken}`)).text,
      (await listClients(t, `Bearer ${secret}`)).text,
      (await listClients(t, `Basic ${secret}`)).text,
      (await listClients(t, `Bearer ${secret.slice(0, -1)}x`)).text,
      (await t.http().put(clientPath("secretive-0")).set("Authorization", caller.auth).send({ clientSecret: secret })).text,
      (await createClient(t, caller.auth, { displayName: secret, description: 12 })).text,
      (await createClient(t, caller.auth, confidentialClient({ redirectUris: [`https://x.example.com/cb#${secret}`] }))).text,
      (
        await t
          .http()
          .post(clientsPath)
          .set("Authorization", caller.auth)
          .set("Content-Type", "application/json")
          .send(`{"secret": "${secret}"`)
      ).text,
      (await t.http().post(clientsPath).set("Authorization", caller.auth).set("Content-Type", "text/plain").send(secret)).text,
      (await createClient(t, reader, confidentialClient())).text,
      (await getClient(t, reader, "secretive-0")).text,
      (await listClients(t, caller.auth, { q: "secretive" })).text,
    );
    await givenClient(t, caller);

    const logs = t.logs();
    expect(logs).toContain("leak-check-2");
    for (const value of [...secrets, ...presented]) {
      expect(logs).not.toContain(value);
      // The body of a credential alone, in case a prefix or scheme was stripped before logging.
      expect(logs).not.toContain(value.slice(-40));
      for (const answer of answers) expect(answer).not.toContain(value.slice(-40));
    }
  });

  it("are stored only as keyed hashes: the data directory holds no secret handed out or credential presented", async () => {
    const caller = await newCaller(t);
    const values = [caller.auth.slice("Bearer ".length)];
    for (let index = 0; index < 3; index++) values.push((await givenClient(t, caller)).body.clientSecret as string);
    // The writer's read waits for the projection, so the read models hold these clients by now.
    expect((await listClients(t, caller.auth)).body).toHaveLength(3);

    const files = readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(["events.sqlite", "read-models.sqlite"]));
    const stored = files.map((file) => readFileSync(join(file.parentPath, file.name)).toString("latin1")).join("\n");
    for (const value of values) expect(stored).not.toContain(value.slice(-40));
  });

  it("of the operator API, the platform token and the admin tokens it hands out, reach no log, answer, event or stored byte", async () => {
    const created = await createWorkspace(t, t.operator, { workspaceId: `leaky-${randomUUID().slice(0, 8)}`, displayName: "Leaky" });
    expect(created.status).toBe(201);
    const workspaceId = created.body.workspaceId as string;
    const issued = await issueAdminToken(t, t.operator, workspaceId, { label: "second", scopes: ["clientapps:read"] });
    expect(issued.status).toBe(201);
    const values = [t.operator.slice("Bearer ".length), created.body.adminToken.token as string, issued.body.token as string];
    const answers = [
      (await getWorkspace(t, t.operator, workspaceId)).text,
      (await t.http().get(workspacesPath).set("Authorization", t.operator)).text,
      (await createWorkspace(t, t.operator, { displayName: values[1], workspaceId: values[2], adminToken: { scopes: [] } })).text,
      (await issueAdminToken(t, t.operator, workspaceId, { label: values[1], scopes: [values[2]] })).text,
      (await lifecycle(t, t.operator, workspaceId, "suspend")).text,
      (await listClients(t, `Bearer ${values[1]!}`)).text,
    ];
    await t.settle();

    const events = JSON.stringify(await t.engines.eventStore.readStream(`workspace-${workspaceId}`));
    const files = readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const stored = files.map((file) => readFileSync(join(file.parentPath, file.name)).toString("latin1")).join("\n");
    const logs = t.logs();
    for (const value of values) {
      for (const place of [logs, events, stored, ...answers]) expect(place).not.toContain(value.slice(-40));
    }
  });
});
