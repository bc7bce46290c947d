import { createPublicKey } from "node:crypto";
import { clientApplicationStreamName } from "@clientapps/domain";
import type { OidcConfig } from "@clientapps/runtime";
import { SignJWT, importJWK, type JWTPayload } from "jose";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditedEntryOf, listActivity, type ActivityEntry } from "../testing/activityRequests.js";
import { clientPath, clientsPath, confidentialClient, newClientId, newWorkspaceId } from "../testing/clientApplicationRequests.js";
import { listen, openEventStream } from "../testing/eventStreamClient.js";
import { expectProblem } from "../testing/expectProblem.js";
import { newSigningKey, startIdentityProvider, type IdentityProvider, type SigningKey } from "@clientapps/test-support/identityProvider";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { adminTokensPath, lifecycle, workspacePath, workspacesPath } from "../testing/workspaceRequests.js";

/*
 * Single sign-on: the registry accepts the JWT access tokens of the platform's
 * identity provider, the real oidc-provider running on loopback beside it.
 */

const audience = "https://clientapps.test/api";
const workspace = newWorkspaceId();
const otherWorkspace = newWorkspaceId();
const ada = { sub: "ada-7f3e", name: "Ada Lovelace", email: "ada@example.com", workspaceId: workspace, permissions: ["clientapps:write"] };
const bob = { sub: "bob-19ac", name: "Bob", workspaceId: workspace, permissions: ["workspace-manage-config:read"] };

const oidcSettings = (idp: IdentityProvider, overrides: Partial<OidcConfig> = {}): OidcConfig => ({
  issuer: idp.issuer,
  audience,
  algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
  tokenTypes: ["at+jwt", "jwt"],
  clockSkewSeconds: 30,
  workspaceClaim: "workspace_id",
  permissionsClaim: "scope",
  jwksCacheSeconds: 600,
  jwksCooldownSeconds: 0,
  console: undefined,
  ...overrides,
});

const bearer = (token: string) => `Bearer ${token}`;

/** An RFC 6750 refusal of the token: 401, invalid_token, and why, in the problem and in WWW-Authenticate. */
const expectInvalidToken = (response: Response, description: RegExp): void => {
  const problem = expectProblem(response, 401, "invalid_token");
  expect(problem.detail).toMatch(description);
  expect(response.headers["www-authenticate"]).toMatch(/^Bearer realm="clientapps", error="invalid_token", error_description="[^"]+"$/);
  expect(response.headers["www-authenticate"]).toMatch(description);
};

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe("single sign-on with the platform's identity provider", () => {
  let idp: IdentityProvider;
  let t: TestApi;
  let otherClientId: string;

  /** A token signed with a key we hold: the provider's own signing key unless another is given. */
  const signed = async (claims: JWTPayload, options: Readonly<{ key?: SigningKey; typ?: string; alg?: string }> = {}) => {
    const key = options.key ?? idp.keys[0]!;
    const now = seconds(t.now());
    return new SignJWT({ workspace_id: workspace, scope: "clientapps:write", iss: idp.issuer, aud: audience, sub: ada.sub, ...claims })
      .setProtectedHeader({ alg: options.alg ?? "ES256", typ: options.typ ?? "at+jwt", kid: key.kid })
      .setIssuedAt(now)
      .setExpirationTime(typeof claims.exp === "number" ? claims.exp : now + 300)
      .sign(await importJWK(key.privateJwk, "ES256"));
  };

  beforeAll(async () => {
    idp = await startIdentityProvider({
      audience,
      users: [ada, bob],
      service: { workspaceId: workspace, permissions: ["workspace-manage-config:read", "workspace-manage-config:write"] },
    });
    // The registry's clock is the provider's: its tokens are valid now.
    t = await startTestApi({ now: new Date(), oidc: oidcSettings(idp) });
    // A token reaches only a workspace that exists and is active: the platform onboarded this one.
    await t.bearer(workspace);
    otherClientId = newClientId("other");
    const created = await t
      .http()
      .post(clientsPath)
      .set("Authorization", await t.bearer(otherWorkspace))
      .send(confidentialClient({ clientId: otherClientId }));
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  it("lets a person's token manage client applications in the workspace its claim names, and records them as the actor", async () => {
    const token = await idp.userToken(ada.sub);
    const clientId = newClientId("sso");
    const created = await t.http().post(clientsPath).set("Authorization", bearer(token)).send(confidentialClient({ clientId }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ clientId, workspaceId: workspace });
    const updated = await t.http().patch(clientPath(clientId)).set("Authorization", bearer(token)).send({ description: "Signed in" });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const read = await t.http().get(clientPath(clientId)).set("Authorization", bearer(token));
    expect(read.body).toMatchObject({ clientId, description: "Signed in" });

    const user = { type: "user", id: ada.sub, name: ada.name, email: ada.email };
    expect((await auditedEntryOf(t, bearer(token), updated)).actor).toEqual(user);
    const hers = await listActivity(t, bearer(token), { actorType: "user", actorId: ada.sub });
    expect((hers.body as ActivityEntry[]).map((entry) => [entry.operation, entry.object.id, entry.actor])).toEqual([
      ["create", clientId, user],
      ["update", clientId, user],
    ]);
    // The event names the person, never their token.
    const events = await t.engines.eventStore.readStream(clientApplicationStreamName(workspace, clientId));
    expect(events.map((event) => event.metadata.actor)).toEqual([user, user]);
    expect(JSON.stringify(events)).not.toContain(token.split(".")[2]);
    expect(t.logs()).not.toContain(token.split(".")[2]);
  });

  it("lets a platform service's token (client credentials, the registry as its resource) work with awork's permission names", async () => {
    const token = await idp.serviceToken();
    const listed = await t.http().get(clientsPath).set("Authorization", bearer(token));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const created = await t.http().post(clientsPath).set("Authorization", bearer(token)).send(confidentialClient());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await auditedEntryOf(t, bearer(token), created)).actor).toMatchObject({ type: "user", id: "platform-service" });
  });

  it("answers 404 for a client of a workspace other than the one the token's claim names", async () => {
    const token = await idp.userToken(ada.sub);
    expectProblem(await t.http().get(clientPath(otherClientId)).set("Authorization", bearer(token)), 404, "client_not_found");
    const written = await t.http().patch(clientPath(otherClientId)).set("Authorization", bearer(token)).send({ description: "x" });
    expectProblem(written, 404, "client_not_found");
  });

  it("refuses a write to a token without write permission with 403 insufficient_scope, and lets it read", async () => {
    const token = await idp.userToken(bob.sub);
    expect((await t.http().get(clientsPath).set("Authorization", bearer(token))).status).toBe(200);
    const refused = await t.http().post(clientsPath).set("Authorization", bearer(token)).send(confidentialClient());
    expectProblem(refused, 403, "insufficient_scope");
    expect(refused.headers["www-authenticate"]).toBe('Bearer realm="clientapps", error="insufficient_scope", scope="clientapps:write"');
  });

  it("refuses a token of the provider once it has expired, beyond the clock skew", async () => {
    const token = await idp.userToken(ada.sub);
    const expiresAt = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number }).exp * 1000;
    const back = t.now().getTime();
    try {
      t.advance(expiresAt + 20_000 - back);
      expect((await t.http().get(clientsPath).set("Authorization", bearer(token))).status, "within the skew").toBe(200);
      t.advance(20_000);
      expectInvalidToken(await t.http().get(clientsPath).set("Authorization", bearer(token)), /has expired/);
    } finally {
      t.advance(back - t.now().getTime());
    }
  });

  it("ends a person's live tail once their token expires", async () => {
    const token = await idp.userToken(ada.sub);
    const server = await listen(t.api.app);
    const back = t.now().getTime();
    try {
      const stream = await openEventStream(`${server.baseUrl}/api/v1/activity_stream`, { Authorization: bearer(token) });
      expect(stream.status).toBe(200);
      t.advance(2 * 3600_000);
      await expect(stream.take(1, 10_000)).rejects.toThrow(/before the stream ended/);
    } finally {
      t.advance(back - t.now().getTime());
      await server.close();
    }
  });

  it("refuses a token not valid yet, beyond the clock skew", async () => {
    const now = seconds(t.now());
    expect(
      (
        await t
          .http()
          .get(clientsPath)
          .set("Authorization", bearer(await signed({ nbf: now + 20 })))
      ).status,
    ).toBe(200);
    expectInvalidToken(
      await t
        .http()
        .get(clientsPath)
        .set("Authorization", bearer(await signed({ nbf: now + 120 }))),
      /not valid yet/,
    );
  });

  it.each([
    ["another issuer", () => signed({ iss: "https://idp.attacker.test" }), /not issued by the trusted identity provider/],
    ["another audience", () => signed({ aud: "https://another-resource.test" }), /not meant for this registry/],
    ["no workspace claim", () => signed({ workspace_id: undefined }), /names no workspace in its workspace_id claim/],
    ["a workspace claim that is not a workspace id", () => signed({ workspace_id: "../other" }), /names no workspace/],
    ["no subject", () => signed({ sub: undefined }), /sub/],
    ["a type other than an access token's", () => signed({}, { typ: "dpop+jwt" }), /type \(typ\) is not accepted/],
    ["a key the provider does not publish", () => signed({}, { key: newSigningKey() }), /key the identity provider does not publish/],
  ])("refuses a token with %s", async (_name, token, description) => {
    expectInvalidToken(
      await t
        .http()
        .get(clientsPath)
        .set("Authorization", bearer(await token())),
      description,
    );
  });

  it("accepts a token typed JWT when told to, as some providers type their access tokens", async () => {
    expect(
      (
        await t
          .http()
          .get(clientsPath)
          .set("Authorization", bearer(await signed({}, { typ: "JWT" })))
      ).status,
    ).toBe(200);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = seconds(t.now());
    const claims = { iss: idp.issuer, aud: audience, sub: ada.sub, workspace_id: workspace, scope: "admin", iat: now, exp: now + 300 };
    for (const unsigned of [`${part({ alg: "none", typ: "at+jwt" })}.${part(claims)}.`, `${part({ alg: "none" })}.${part(claims)}.`]) {
      expectInvalidToken(await t.http().get(clientsPath).set("Authorization", bearer(unsigned)), /signature algorithm is not accepted/);
    }
  });

  it("refuses a token signed with HS256 using the provider's public key as the secret", async () => {
    const key = idp.keys[0]!;
    const pem = createPublicKey({ key: key.publicJwk, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
    const now = seconds(t.now());
    for (const secret of [pem, JSON.stringify(key.publicJwk)]) {
      const forged = await new SignJWT({ workspace_id: workspace, scope: "admin" })
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: key.kid })
        .setIssuer(idp.issuer)
        .setAudience(audience)
        .setSubject(ada.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(secret));
      expectInvalidToken(await t.http().get(clientsPath).set("Authorization", bearer(forged)), /signature algorithm is not accepted/);
    }
  });

  it("refuses a token whose signature does not verify", async () => {
    const token = await idp.userToken(ada.sub);
    const [header, payload] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, scope: "admin" })).toString("base64url");
    expectInvalidToken(
      await t
        .http()
        .get(clientsPath)
        .set("Authorization", bearer(`${header}.${raised}.${token.split(".")[2]}`)),
      /signature does not verify/,
    );
  });

  it("refuses a token naming a workspace never onboarded, or one the platform suspended, from the next request", async () => {
    expectInvalidToken(
      await t
        .http()
        .get(clientsPath)
        .set("Authorization", bearer(await signed({ workspace_id: newWorkspaceId() }))),
      /workspace the token names is unknown, suspended or deleted/,
    );
    const suspended = newWorkspaceId();
    await t.bearer(suspended);
    const token = await signed({ workspace_id: suspended, scope: "clientapps:read" });
    expect((await t.http().get(clientsPath).set("Authorization", bearer(token))).status).toBe(200);
    await t.workspaceCommand({ type: "SuspendWorkspace", data: { workspaceId: suspended }, metadata: { now: t.now() } });
    expectInvalidToken(await t.http().get(clientsPath).set("Authorization", bearer(token)), /unknown, suspended or deleted/);
    await t.workspaceCommand({ type: "ResumeWorkspace", data: { workspaceId: suspended }, metadata: { now: t.now() } });
    expect((await t.http().get(clientsPath).set("Authorization", bearer(token))).status).toBe(200);
  });

  it("grants a token that claims platform:admin nothing of the operator's: no workspace, no admin token, no suspension", async () => {
    const token = bearer(await signed({ scope: "platform:admin admin" }));
    const victim = newWorkspaceId();
    await t.bearer(victim);
    const listed = await t.http().get(workspacesPath).set("Authorization", token);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(victim);
    for (const request of [
      t.http().post(workspacesPath).set("Authorization", token).send({ workspaceId: newWorkspaceId(), displayName: "Mine" }),
      t.http().post(adminTokensPath(victim)).set("Authorization", token).send({ label: "stolen" }),
      lifecycle(t, token, victim, "suspend"),
    ]) {
      const response = await request;
      expect([403, 404], `${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);
    }
    // The token's own workspace admin rights still hold: a workspace admin reads its own workspace, and only it.
    expect((await t.http().get(workspacePath(workspace)).set("Authorization", token)).status).toBe(200);
    expect((await t.http().get(workspacePath(victim)).set("Authorization", token)).status).toBe(404);
  });

  it("keeps one person's Idempotency-Key apart in each workspace: a retry in another workspace is a new request", async () => {
    const second = newWorkspaceId();
    await t.bearer(second);
    const body = confidentialClient({ clientId: newClientId("idem") });
    const inFirst = await t
      .http()
      .post(clientsPath)
      .set("Authorization", bearer(await signed({})))
      .set("Idempotency-Key", "same-key-both-workspaces")
      .send(body);
    expect(inFirst.status).toBe(201);
    const inSecond = await t
      .http()
      .post(clientsPath)
      .set("Authorization", bearer(await signed({ workspace_id: second })))
      .set("Idempotency-Key", "same-key-both-workspaces")
      .send(body);
    expect(inSecond.status, JSON.stringify(inSecond.body)).toBe(201);
    expect(inSecond.headers["idempotent-replayed"]).toBeUndefined();
    expect(inSecond.body).toMatchObject({ workspaceId: second });
    expect(inSecond.body.clientSecret).not.toBe(inFirst.body.clientSecret);
  });

  describe("with the claims mapped by configuration", () => {
    let mapped: TestApi;
    const claim = "https://awork.com/workspace";

    beforeAll(async () => {
      mapped = await startTestApi({
        now: t.now(),
        oidc: oidcSettings(idp, { workspaceClaim: claim, permissionsClaim: "permissions", tokenTypes: ["at+jwt"] }),
      });
      await mapped.bearer(workspace);
    });

    afterAll(async () => {
      await mapped?.close();
    });

    it("takes the workspace and a list of permissions from the claims it is told, awork's names included", async () => {
      const token = await signed({ [claim]: workspace, permissions: ["workspace-manage-config:write"], workspace_id: undefined });
      const created = await mapped.http().post(clientsPath).set("Authorization", bearer(token)).send(confidentialClient());
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ workspaceId: workspace });
    });

    it("grants nothing from a claim it is not told to read", async () => {
      const token = await signed({ [claim]: workspace, scope: "admin" });
      expectProblem(await mapped.http().get(clientsPath).set("Authorization", bearer(token)), 403, "insufficient_scope");
    });

    it("accepts only RFC 9068's at+jwt when told so", async () => {
      const token = await signed({ [claim]: workspace, permissions: ["clientapps:read"] }, { typ: "JWT" });
      expectInvalidToken(await mapped.http().get(clientsPath).set("Authorization", bearer(token)), /type \(typ\) is not accepted/);
      const typed = await signed({ [claim]: workspace, permissions: ["clientapps:read"] }, { typ: "application/at+jwt" });
      expect((await mapped.http().get(clientsPath).set("Authorization", bearer(typed))).status).toBe(200);
    });
  });
});

describe("the identity provider rotating its signing key while the registry runs", () => {
  let idp: IdentityProvider;
  let t: TestApi;
  const first = newSigningKey();
  const second = newSigningKey();

  beforeAll(async () => {
    idp = await startIdentityProvider({ audience, users: [ada], service: { workspaceId: workspace, permissions: [] }, keys: [first] });
    // A short cache: once it is renewed, a key the provider dropped is no longer trusted.
    t = await startTestApi({ now: new Date(), oidc: oidcSettings(idp, { jwksCacheSeconds: 1 }) });
    await t.bearer(workspace);
  });

  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
  const list = (token: string) => t.http().get(clientsPath).set("Authorization", bearer(token));

  it("accepts tokens of a new key at once, and refuses those of a removed key", async () => {
    const before = await idp.userToken(ada.sub);
    expect(kidOf(before)).toBe(first.kid);
    expect((await list(before)).status).toBe(200);

    // The new key signs; the old one is still published for the overlap.
    idp = await idp.restartWith([second, first]);
    const after = await idp.userToken(ada.sub);
    expect(kidOf(after)).toBe(second.kid);
    expect((await list(after)).status, "a new key works without a restart of the registry").toBe(200);
    expect((await list(before)).status, "the old key still works during the overlap").toBe(200);

    // The old key is gone from the provider's key set.
    idp = await idp.restartWith([second]);
    await expect.poll(async () => (await list(before)).status, { timeout: 10_000, interval: 200 }).toBe(401);
    expectInvalidToken(await list(before), /key the identity provider does not publish/);
    expect((await list(await idp.userToken(ada.sub))).status).toBe(200);
  });
});

describe("without an identity provider", () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi();
  });

  afterAll(async () => {
    await t?.close();
  });

  it("takes a JWT for a malformed credential, and verifies nothing", async () => {
    const jwt = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";
    expectInvalidToken(await t.http().get(clientsPath).set("Authorization", bearer(jwt)), /The credential is malformed/);
  });
});

describe("an identity provider that cannot be reached", () => {
  let t: TestApi;

  beforeAll(async () => {
    const idp = await startIdentityProvider({ audience, users: [], service: { workspaceId: workspace, permissions: [] } });
    await idp.stop();
    t = await startTestApi({ now: new Date(), oidc: oidcSettings(idp) });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("answers 503 with Retry-After rather than refusing the token, and our own credentials keep working", async () => {
    const jwt = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";
    const response = await t.http().get(clientsPath).set("Authorization", bearer(jwt));
    expectProblem(response, 503, "identity_provider_unavailable");
    expect(response.headers["retry-after"]).toBe("5");
    expect(
      (
        await t
          .http()
          .get(clientsPath)
          .set("Authorization", await t.bearer(newWorkspaceId()))
      ).status,
    ).toBe(200);
  });
});
