import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, getClient, givenClient, newCaller, positionOf } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { fullMetadata, givenRegistration, sampleJwks } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

describe("GET /api/v1/clientapplications/{clientId}", () => {
  it("answers the client with its ETag", async () => {
    const caller = await newCaller(t);
    const created = await givenClient(t, caller);
    const { clientSecret: _secret, ...resource } = created.body as Record<string, unknown>;

    const response = await getClient(t, caller.auth, created.body.clientId);

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.headers["cache-control"]).toBe("private, no-cache");
    expect(response.body).toEqual(resource);
  });

  it("answers registration null for a client made through the admin API", async () => {
    const caller = await newCaller(t);
    const created = await givenClient(t, caller);

    const response = await getClient(t, caller.auth, created.body.clientId);

    expect(response.status).toBe(200);
    expect(response.body.registration).toBeNull();
  });

  it("answers an RFC 7591 client's registration: its metadata and token fingerprint, never the token or its hash", async () => {
    const caller = await newCaller(t);
    const { jwks_uri: _jwksUri, ...metadata } = fullMetadata({ jwks: sampleJwks });
    const registered = await givenRegistration(t, caller.auth, metadata);
    const token = registered.token.slice("Bearer ".length);

    const response = await getClient(t, caller.auth, registered.clientId).set("X-Min-Position", positionOf(registered.response));

    expect(response.status).toBe(200);
    expect(response.body.registration).toEqual({
      tokenFingerprint: `…${token.slice(-4)}`,
      tokenIssuedOn: response.body.createdOn,
      metadata: {
        tokenEndpointAuthMethod: "client_secret_post",
        responseTypes: ["code"],
        clientUri: "https://app.example.com",
        logoUri: "https://app.example.com/logo.png",
        tosUri: "https://app.example.com/tos",
        policyUri: "https://app.example.com/privacy",
        contacts: ["ops@example.com", "security@example.com"],
        jwksUri: null,
        jwks: sampleJwks,
        softwareId: "4NRB1-0XZABZI9E6-5SM3R",
        softwareVersion: "2.1.0",
      },
    });
    expect(response.text).not.toContain(token);
    expect(response.text).not.toMatch(/hash/i);
  });

  it("answers 304 to If-None-Match with the current ETag, strong or weak, and 200 to another", async () => {
    const caller = await newCaller(t);
    const { clientId } = (await givenClient(t, caller)).body as { clientId: string };
    const conditional = (ifNoneMatch: string) => getClient(t, caller.auth, clientId).set("If-None-Match", ifNoneMatch);

    for (const tag of ['"0"', 'W/"0"', '"7", "0"', "*"]) {
      const response = await conditional(tag);
      expect(response.status, tag).toBe(304);
      expect(response.text, tag).toBe("");
      expect(response.headers.etag, tag).toBe('"0"');
    }
    const other = await conditional('"1"');
    expect(other.status).toBe(200);
    expect(other.body.clientId).toBe(clientId);
  });

  it("answers 200 to the old ETag once the client has changed", async () => {
    const caller = await newCaller(t);
    const { clientId } = (await givenClient(t, caller)).body as { clientId: string };
    await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ description: "changed" });

    const response = await getClient(t, caller.auth, clientId).set("If-None-Match", '"0"');

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body.description).toBe("changed");
  });

  it("answers 404 client_not_found for an unknown client", async () => {
    const caller = await newCaller(t);

    const response = await getClient(t, caller.auth, "nobody");

    const problem = expectProblem(response, 404, "client_not_found");
    expect(problem.instance).toBe("/api/v1/clientapplications/nobody");
  });

  it("answers 404, not 403, for another workspace's client", async () => {
    const owner = await newCaller(t);
    const stranger = await newCaller(t);
    const created = await givenClient(t, owner);

    // X-Min-Position makes the stranger's read wait for the write, so the 404 is not just lag.
    const response = await getClient(t, stranger.auth, created.body.clientId).set("X-Min-Position", positionOf(created));

    expectProblem(response, 404, "client_not_found");
    expect(response.text).not.toContain(owner.workspaceId);
  });
});
