import { existsSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { clientApplicationStreamName } from "@clientapps/domain";
import { EventStoreUnavailableError } from "@clientapps/event-store";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientPath, clientsPath, confidentialClient, newCaller, newClientId, type Caller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { defaultIdempotencyWindowMs, idempotencyKeysCollection, type IdempotencyRecord } from "./idempotencyKeys.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const post = (auth: string, key: string | readonly string[] | undefined, body: object) => {
  const request = t.http().post(clientsPath).set("Authorization", auth);
  if (key !== undefined) request.set("Idempotency-Key", key as string);
  return request.send(body);
};

const eventsOf = async (caller: Caller, clientId: string) =>
  t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, clientId));

/** A caller of its own, a fresh key, and a request that creates a fresh confidential client. */
const freshCreate = async () => {
  const clientId = newClientId();
  return { caller: await newCaller(t), key: randomUUID(), body: confidentialClient({ clientId }), clientId };
};

const replayed = (response: Response): boolean => response.headers["idempotent-replayed"] === "true";

const describing = (response: Response) => ({
  status: response.status,
  text: response.text,
  location: response.headers.location,
  etag: response.headers.etag,
  position: response.headers["x-position"],
  contentType: response.headers["content-type"],
  cacheControl: response.headers["cache-control"],
});

describe("Idempotency-Key on POST", () => {
  it("answers a retried create with the first response, secret included, and writes nothing more", async () => {
    const { caller, key, body, clientId } = await freshCreate();

    const first = await post(caller.auth, key, body);
    const retry = await post(caller.auth, key, body);

    expect(first.status).toBe(201);
    expect(replayed(first)).toBe(false);
    expect(replayed(retry)).toBe(true);
    expect(describing(retry)).toEqual(describing(first));
    expect(retry.body.clientSecret).toMatch(/^ca_secret_/);
    expect(retry.body.clientSecret).toBe(first.body.clientSecret);
    expect(retry.headers["content-length"]).toBe(String(Buffer.byteLength(first.text)));
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
  });

  it("treats the same JSON with its members in another order as the same request", async () => {
    const caller = await newCaller(t);
    const key = randomUUID();
    const clientId = newClientId();

    const first = await post(caller.auth, key, { clientId, displayName: "Ordered", redirectUris: ["https://a.example.com/cb"] });
    const retry = await post(caller.auth, key, { redirectUris: ["https://a.example.com/cb"], displayName: "Ordered", clientId });

    expect(first.status).toBe(201);
    expect(replayed(retry)).toBe(true);
    expect(retry.text).toBe(first.text);
  });

  it("refuses the same key for a different request with 422 and writes nothing", async () => {
    const { caller, key, body, clientId } = await freshCreate();
    const otherClientId = newClientId();
    expect((await post(caller.auth, key, body)).status).toBe(201);

    const reused = await post(caller.auth, key, confidentialClient({ clientId: otherClientId }));

    expectProblem(reused, 422, "idempotency_key_reused");
    expect(await eventsOf(caller, otherClientId)).toHaveLength(0);
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
  });

  it("runs concurrent duplicates once: the others replay or are told the first is still in progress", async () => {
    const { caller, key, body, clientId } = await freshCreate();

    const responses = await Promise.all(Array.from({ length: 5 }, () => post(caller.auth, key, body)));

    const fresh = responses.filter((response) => response.status === 201 && !replayed(response));
    expect(fresh).toHaveLength(1);
    for (const response of responses) {
      if (response === fresh[0]) continue;
      if (response.status === 409) {
        expectProblem(response, 409, "idempotency_request_in_progress");
        expect(response.headers["retry-after"]).toBe("1");
      } else {
        expect(replayed(response)).toBe(true);
        expect(response.text).toBe(fresh[0]?.text);
      }
    }
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
    const later = await post(caller.auth, key, body);
    expect(replayed(later)).toBe(true);
    expect(later.body.clientSecret).toBe(fresh[0]?.body.clientSecret);
  });

  it("tells duplicates that arrive while the first still runs to retry later, and writes once", async () => {
    const { caller, key, body, clientId } = await freshCreate();
    // The first request to claim the key is held at its append until every duplicate has been answered.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
      setTimeout(resolve, 5000).unref();
    });
    const append = t.engines.eventStore.appendToStream.bind(t.engines.eventStore);
    vi.spyOn(t.engines.eventStore, "appendToStream").mockImplementation(async (...args) => {
      await gate;
      return append(...args);
    });
    const answered: Response[] = [];

    await Promise.all(
      Array.from({ length: 5 }, () =>
        post(caller.auth, key, body).then((response) => {
          if (answered.push(response) === 4) openGate();
        }),
      ),
    );

    const winner = answered[4] as Response;
    expect(winner.status).toBe(201);
    expect(replayed(winner)).toBe(false);
    for (const duplicate of answered.slice(0, 4)) {
      expectProblem(duplicate, 409, "idempotency_request_in_progress");
      expect(duplicate.headers["retry-after"]).toBe("1");
    }
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
    const retry = await post(caller.auth, key, body);
    expect(replayed(retry)).toBe(true);
    expect(retry.body.clientSecret).toBe(winner.body.clientSecret);
  });

  it("replays a validation error as the same 400", async () => {
    const caller = await newCaller(t);
    const key = randomUUID();
    const invalid = { displayName: "", colour: "blue" };

    const first = await post(caller.auth, key, invalid);
    const retry = await post(caller.auth, key, invalid);

    expectProblem(first, 400, "validation_failed");
    expect(replayed(retry)).toBe(true);
    expect(describing(retry)).toEqual(describing(first));
  });

  it("scopes keys to the credential: another credential's use of the same key is independent", async () => {
    const { caller, key, body } = await freshCreate();
    const [colleague, another] = [await t.bearer(caller.workspaceId), await t.bearer(caller.workspaceId)];
    expect((await post(caller.auth, key, body)).status).toBe(201);

    const sameRequest = await post(colleague, key, body);
    const otherRequest = await post(another, key, confidentialClient({ clientId: newClientId() }));

    expectProblem(sameRequest, 409, "client_already_exists");
    expect(replayed(sameRequest)).toBe(false);
    expect(otherRequest.status).toBe(201);
    expect(replayed(otherRequest)).toBe(false);
  });

  it("forgets a key once its window has passed: the request runs again", async () => {
    const { caller, key, body, clientId } = await freshCreate();
    expect((await post(caller.auth, key, body)).status).toBe(201);

    t.advance(defaultIdempotencyWindowMs - 1000);
    const withinWindow = await post(caller.auth, key, body);
    t.advance(2000);
    const afterWindow = await post(caller.auth, key, body);

    expect(withinWindow.status).toBe(201);
    expect(replayed(withinWindow)).toBe(true);
    expectProblem(afterWindow, 409, "client_already_exists");
    expect(replayed(afterWindow)).toBe(false);
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
  });

  it("keeps the one-time secret only encrypted, yet replays it", async () => {
    const { caller, key, body } = await freshCreate();

    const first = await post(caller.auth, key, body);
    const retry = await post(caller.auth, key, body);

    const secret = first.body.clientSecret as string;
    expect(retry.body.clientSecret).toBe(secret);
    const files = [`${t.dataDir}/read-models.sqlite`, `${t.dataDir}/read-models.sqlite-wal`].filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(secret), file).toBe(false);
      expect(bytes.includes(key), file).toBe(false);
    }
    // Not merely encoded: no kept body decodes to the secret.
    const records = await t.engines.readModels.collection<IdempotencyRecord>(idempotencyKeysCollection);
    const done = await records.find({ where: { state: "done" }, orderBy: { field: "createdOn", direction: "asc" }, limit: 500 });
    expect(done.items.length).toBeGreaterThan(0);
    for (const { document } of done.items) {
      if (document.state !== "done") continue;
      expect(Buffer.from(document.body.data, "base64").includes(secret)).toBe(false);
      expect(JSON.stringify(document)).not.toContain(secret.slice(-40));
    }
  });

  it("does not keep a failure worth retrying: the retry runs the request", async () => {
    const { caller, key, body, clientId } = await freshCreate();
    vi.spyOn(t.engines.eventStore, "appendToStream")
      .mockRejectedValueOnce(new EventStoreUnavailableError("injected outage"))
      .mockRejectedValueOnce(new Error("injected bug"));

    const unavailable = await post(caller.auth, key, body);
    const failed = await post(caller.auth, key, body);
    const succeeded = await post(caller.auth, key, body);
    const retried = await post(caller.auth, key, body);

    expectProblem(unavailable, 503, "event_store_unavailable");
    expectProblem(failed, 500, "internal_error");
    expect([replayed(unavailable), replayed(failed)]).toEqual([false, false]);
    expect(succeeded.status).toBe(201);
    expect(replayed(succeeded)).toBe(false);
    expect(replayed(retried)).toBe(true);
    expect(retried.text).toBe(succeeded.text);
    expect(await eventsOf(caller, clientId)).toHaveLength(1);
  });

  it.each([
    ["empty", ""],
    ["longer than 255 characters", "k".repeat(256)],
    ["holding a control character", "key\tone"],
    ["holding a non-ASCII character", "clé"],
    ["given twice", ["one", "two"]],
  ])("refuses a key %s with 400 and writes nothing", async (_case, key) => {
    const { caller, body, clientId } = await freshCreate();

    const response = await post(caller.auth, key, body);

    expectProblem(response, 400, "invalid_idempotency_key");
    expect(await eventsOf(caller, clientId)).toHaveLength(0);
  });

  it("accepts a key of 255 printable characters, and ignores the header on other methods", async () => {
    const { caller, body, clientId } = await freshCreate();

    const created = await post(caller.auth, `"${"k".repeat(253)}"`, body);
    const read = await t.http().get(clientPath(clientId)).set("Authorization", caller.auth).set("Idempotency-Key", "");

    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
  });
});
