import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  clientsPath,
  confidentialClient,
  givenClient,
  listClients,
  newCaller,
  positionOf,
} from "../testing/clientApplicationRequests.js";
import { givenApiKey, revokeApiKey } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import {
  expectInvalidToken,
  expectRegistrationError,
  givenRegistration,
  manage,
  minimalMetadata,
  register,
} from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

describe("who may register, by default: callers with a credential", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers 401 invalid_token with a Bearer challenge to a registration without a credential", async () => {
    const head = await t.engines.eventStore.headPosition();

    const response = await register(t, undefined, minimalMetadata());

    expectInvalidToken(response);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="clientapps"');
    expect(await t.engines.eventStore.headPosition()).toEqual(head);
  });

  it.each([
    ["a malformed credential", () => "Bearer not-a-credential"],
    ["a well-formed credential that was never issued", () => `Bearer ${generateCredential("apiKey")}`],
    ["a client secret", () => `Bearer ${generateCredential("clientSecret")}`],
    ["another scheme", () => `Basic ${Buffer.from("client:secret").toString("base64")}`],
  ])("answers 401 invalid_token to %s", async (_case, header) => {
    expectInvalidToken(await register(t, header(), minimalMetadata()));
  });

  it("does not take a registration access token as a credential to register more clients", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    expectInvalidToken(await register(t, registered.token, minimalMetadata()));
  });

  it.each([["clientapps:read"], ["workspace-manage-config:read"]])("answers 403 insufficient_scope to a %s credential", async (scope) => {
    const { auth } = await newCaller(t, [scope]);

    const response = await register(t, auth, minimalMetadata());

    expectRegistrationError(response, 403, "insufficient_scope");
    expect(response.headers["www-authenticate"]).toMatch(/error="insufficient_scope"/);
  });

  it.each([["admin"], ["clientapps:write"], ["workspace-manage-config:write"], ["clientapps:register"]])(
    "registers for a %s credential, into the credential's workspace",
    async (scope) => {
      const caller = await newCaller(t, [scope]);
      const admin = await t.bearer(caller.workspaceId);

      const registered = await givenRegistration(t, caller.auth);

      const resource = await t
        .http()
        .get(clientPath(registered.clientId))
        .set("Authorization", admin)
        .set("X-Min-Position", positionOf(registered.response));
      expect(resource.status).toBe(200);
      expect(resource.body.workspaceId).toBe(caller.workspaceId);
    },
  );

  it("takes an API key with only clientapps:register as an initial access token, which can do nothing else", async () => {
    const admin = await newCaller(t);
    const owner = (await givenClient(t, admin, confidentialClient())).body.clientId as string;
    const { auth: initialAccessToken } = await givenApiKey(t, admin, owner, {
      name: "initial access token",
      scopes: ["clientapps:register"],
    });

    const registered = await givenRegistration(t, initialAccessToken, minimalMetadata({ client_name: "Via initial access token" }));

    const resource = await t
      .http()
      .get(clientPath(registered.clientId))
      .set("Authorization", admin.auth)
      .set("X-Min-Position", positionOf(registered.response));
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({ workspaceId: admin.workspaceId, displayName: "Via initial access token" });
    expectProblem(await listClients(t, initialAccessToken), 403, "insufficient_scope");
    expectProblem(await t.http().get(clientPath(registered.clientId)).set("Authorization", initialAccessToken), 403, "insufficient_scope");
    expectProblem(
      await t
        .http()
        .post(clientsPath)
        .set("Authorization", initialAccessToken)
        .send({ clientId: "sneaky", ...confidentialClient() }),
      403,
      "insufficient_scope",
    );
  });

  it("stops taking an initial access token once it is revoked", async () => {
    const admin = await newCaller(t);
    const owner = (await givenClient(t, admin, confidentialClient())).body.clientId as string;
    const { auth: initialAccessToken, keyId } = await givenApiKey(t, admin, owner, { scopes: ["clientapps:register"] });
    await givenRegistration(t, initialAccessToken);

    expect((await revokeApiKey(t, admin.auth, owner, keyId)).status).toBe(204);

    expectInvalidToken(await register(t, initialAccessToken, minimalMetadata()));
  });
});

describe("who may register, with the open policy: anyone, into one workspace", () => {
  const workspaceId = "public-ws";
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ registration: { mode: "open", workspaceId } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("registers without a credential into the configured workspace", async () => {
    const registered = await givenRegistration(t, undefined, minimalMetadata({ client_name: "Anonymous" }));

    expect(registered.clientSecret).toMatch(/^ca_secret_/);
    const admin = await t.bearer(workspaceId);
    const resource = await t
      .http()
      .get(clientPath(registered.clientId))
      .set("Authorization", admin)
      .set("X-Min-Position", positionOf(registered.response));
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({ workspaceId, displayName: "Anonymous" });
    const elsewhere = await t.bearer("another-ws");
    expectProblem(await t.http().get(clientPath(registered.clientId)).set("Authorization", elsewhere), 404, "client_not_found");
  });

  it("still manages an openly registered client only with its registration access token", async () => {
    const registered = await givenRegistration(t, undefined);

    expect((await manage(t, "get", registered.path, registered.token)).status).toBe(200);
    expectInvalidToken(await manage(t, "get", registered.path, undefined));
  });

  it("still refuses invalid metadata in the RFC's format", async () => {
    expectRegistrationError(await register(t, undefined, { redirect_uris: ["https://app.example.com/cb#x"] }), 400, "invalid_redirect_uri");
  });

  it("is closed while the workspace is suspended, and open again once it is resumed", async () => {
    const command = (type: "SuspendWorkspace" | "ResumeWorkspace") =>
      t.workspaceCommand({ type, data: { workspaceId }, metadata: { now: t.now() } });
    const before = await t.engines.eventStore.headPosition();

    await command("SuspendWorkspace");
    const suspendedAt = await t.engines.eventStore.headPosition();
    expectRegistrationError(await register(t, undefined, minimalMetadata()), 403, "access_denied");
    expect(await t.engines.eventStore.headPosition()).toEqual(suspendedAt);
    expect(suspendedAt).not.toEqual(before);

    await command("ResumeWorkspace");
    expect((await register(t, undefined, minimalMetadata())).status).toBe(201);
  });
});
