import { clientApplicationStreamName } from "@clientapps/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  fieldsOf,
  getClient,
  givenClient,
  newCaller,
  publicClient,
  type Caller,
} from "../testing/clientApplicationRequests.js";
import { eventTypesOf, rotateSecret, runScheduler, secretIsActive } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

type Secret = Readonly<{ id: string; createdOn: string; expiresOn: string | null; fingerprint: string }>;

/** A fresh caller with a confidential client, its secret and the secret's entry in the resource. */
const givenConfidentialClient = async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  const [listed] = created.body.secrets as [Secret];
  return { caller, clientId: created.body.clientId as string, oldSecret: created.body.clientSecret as string, oldSecretId: listed.id };
};

const secretsOf = async (caller: Caller, clientId: string): Promise<Secret[]> =>
  (await getClient(t, caller.auth, clientId)).body.secrets as Secret[];

const retirements = async (caller: Caller, clientId: string): Promise<number> =>
  (await eventTypesOf(t, caller.workspaceId, clientId)).filter((type) => type === "SecretRetired").length;

const later = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();

describe("POST /api/v1/clientapplications/{clientId}/secret", () => {
  it("answers with a new secret shown once, a new ETag, and lists both secrets with the old one's grace end", async () => {
    const { caller, clientId, oldSecret, oldSecretId } = await givenConfidentialClient();

    const response = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 3600 });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers.etag).toBe('"1"');
    const newSecret = response.body.clientSecret as string;
    expect(newSecret).toMatch(/^ca_secret_[0-9A-Za-z]{49}$/);
    expect(newSecret).not.toBe(oldSecret);
    const [, current] = response.body.secrets as [Secret, Secret];
    expect(response.body.secrets).toEqual([
      {
        id: oldSecretId,
        createdOn: expect.any(String),
        expiresOn: later(current.createdOn, 3600),
        fingerprint: `…${oldSecret.slice(-4)}`,
      },
      { id: expect.stringMatching(/^sec_/), createdOn: response.body.updatedOn, expiresOn: null, fingerprint: `…${newSecret.slice(-4)}` },
    ]);

    const read = await getClient(t, caller.auth, clientId);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body.secrets).toEqual(response.body.secrets);
    expect(read.body).not.toHaveProperty("clientSecret");
    expect(read.text).not.toContain(newSecret);
    const stream = await t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, clientId));
    expect(JSON.stringify(stream)).not.toContain(newSecret);
    expect(t.logs()).not.toContain(newSecret);
  });

  it("keeps both secrets working in the grace period, stops the old one when it ends; the scheduler then retires it once", async () => {
    const { caller, clientId, oldSecret, oldSecretId } = await givenConfidentialClient();
    const newSecret = (await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 600 })).body.clientSecret as string;

    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(true);
    expect(await secretIsActive(t, caller, clientId, newSecret)).toBe(true);
    t.advance(599_000);
    expect(await runScheduler(t)).toBe(0);
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(true);

    t.advance(1_000); // exactly the end of the grace period
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(false);
    expect(await secretIsActive(t, caller, clientId, newSecret)).toBe(true);
    expect(await retirements(caller, clientId)).toBe(0);

    await runScheduler(t);
    const stream = await t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, clientId));
    expect(stream.filter((event) => event.type === "SecretRetired").map((event) => event.data.secretId)).toEqual([oldSecretId]);
    expect((await secretsOf(caller, clientId)).map((secret) => secret.fingerprint)).toEqual([`…${newSecret.slice(-4)}`]);

    expect(await runScheduler(t)).toBe(0);
    expect(await retirements(caller, clientId)).toBe(1);
  });

  it("retires a secret whose grace period ends after a restart", async () => {
    const { caller, clientId, oldSecret, oldSecretId } = await givenConfidentialClient();
    const newSecret = (await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 300 })).body.clientSecret as string;
    await t.settle();

    t = await t.restart();
    t.advance(301_000);
    await runScheduler(t);

    expect(await retirements(caller, clientId)).toBe(1);
    expect((await secretsOf(caller, clientId)).map((secret) => secret.id)).not.toContain(oldSecretId);
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(false);
    expect(await secretIsActive(t, caller, clientId, newSecret)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["gracePeriodSeconds 0", { gracePeriodSeconds: 0 }],
    ["an empty object (the default is 0)", {}],
    ["no body at all (the default is 0)", undefined],
  ])("with %s stops the old secret at once", async (_case, body) => {
    const { caller, clientId, oldSecret } = await givenConfidentialClient();

    const response = await rotateSecret(t, caller.auth, clientId, body);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const newSecret = response.body.clientSecret as string;
    expect(response.body.secrets).toEqual([expect.objectContaining({ expiresOn: null, fingerprint: `…${newSecret.slice(-4)}` })]);
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(false);
    expect(await secretIsActive(t, caller, clientId, newSecret)).toBe(true);
    expect(await retirements(caller, clientId)).toBe(1);
    expect(await runScheduler(t)).toBe(0);
  });

  it("accepts the longest grace period, a week", async () => {
    const { caller, clientId } = await givenConfidentialClient();

    const response = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 604_800 });

    expect(response.status).toBe(200);
    const [old, current] = response.body.secrets as [Secret, Secret];
    expect(old.expiresOn).toBe(later(current.createdOn, 604_800));
  });

  it.each<[string, unknown]>([
    ["a negative grace period", -1],
    ["a grace period over a week", 604_801],
    ["a grace period given as a string", "10"],
    ["a fractional grace period", 1.5],
  ])("refuses %s with 400 naming gracePeriodSeconds and writes nothing", async (_case, gracePeriodSeconds) => {
    const { caller, clientId, oldSecret } = await givenConfidentialClient();

    const response = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds });

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual(["gracePeriodSeconds"]);
    expect((await getClient(t, caller.auth, clientId)).headers.etag).toBe('"0"');
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(true);
  });

  it("answers 409 public_client_has_no_secret for a public client", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenClient(t, caller, publicClient())).body.clientId as string;

    const response = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 60 });

    expectProblem(response, 409, "public_client_has_no_secret");
    expect(await secretsOf(caller, clientId)).toEqual([]);
  });

  it("honours If-Match: a stale ETag gets 412 and writes nothing, the current one rotates", async () => {
    const { caller, clientId, oldSecret } = await givenConfidentialClient();
    const renamed = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ description: "Renamed" });
    expect(renamed.headers.etag).toBe('"1"');
    const before = await getClient(t, caller.auth, clientId);

    const stale = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 60 }).set("If-Match", '"0"');

    expectProblem(stale, 412, "precondition_failed");
    const after = await getClient(t, caller.auth, clientId);
    expect([after.headers.etag, after.body]).toEqual(['"1"', before.body]);
    expect(await eventTypesOf(t, caller.workspaceId, clientId)).toEqual(["ClientRegistered", "ClientUpdated"]);
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(true);

    const current = await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 60 }).set("If-Match", '"1"');
    expect(current.status).toBe(200);
    expect(current.headers.etag).toBe('"2"');
  });

  it("answers 404 client_not_found for an unknown client", async () => {
    const caller = await newCaller(t);

    expectProblem(await rotateSecret(t, caller.auth, "nobody", { gracePeriodSeconds: 60 }), 404, "client_not_found");
  });

  it("answers 403 to a read-only credential and writes nothing", async () => {
    const { caller, clientId, oldSecret } = await givenConfidentialClient();
    const reader = await t.bearer(caller.workspaceId, ["clientapps:read"]);

    expectProblem(await rotateSecret(t, reader, clientId, { gracePeriodSeconds: 60 }), 403, "insufficient_scope");
    expect(await eventTypesOf(t, caller.workspaceId, clientId)).toEqual(["ClientRegistered"]);
    expect(await secretIsActive(t, caller, clientId, oldSecret)).toBe(true);
  });
});
