import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  confidentialClient,
  fieldsOf,
  getClient,
  givenClient,
  newCaller,
  publicClient,
} from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const mergePatch = "application/merge-patch+json";

/** A fresh caller with one client, and a PATCH for it with the given Content-Type. */
const givenClientToPatch = async (body = confidentialClient({ description: "Before", scopes: ["a", "b"], skipAuthorization: true })) => {
  const caller = await newCaller(t);
  const clientId = (await givenClient(t, caller, body)).body.clientId as string;
  const before = (await getClient(t, caller.auth, clientId)).body as Record<string, unknown>;
  const patch = (document: unknown, contentType = mergePatch) =>
    t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).set("Content-Type", contentType).send(JSON.stringify(document));
  const current = () => getClient(t, caller.auth, clientId);
  return { caller, clientId, before, patch, current };
};

describe("PATCH /api/v1/clientapplications/{clientId}", () => {
  it.each([mergePatch, "application/json", "application/merge-patch+json; charset=utf-8"])(
    "applies a merge patch sent as %s to the members it names only",
    async (contentType) => {
      const { before, patch, current } = await givenClientToPatch();

      const response = await patch({ description: "After", redirectUris: ["https://new.example.com/cb"] }, contentType);

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      const expected = { ...before, description: "After", redirectUris: ["https://new.example.com/cb"] };
      expect(response.body).toEqual(expected);
      expect((await current()).body).toEqual(expected);
    },
  );

  it("resets a member set to null to its default", async () => {
    const { before, patch, current } = await givenClientToPatch();

    const response = await patch({ description: null, scopes: null, skipAuthorization: null });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...before, description: "", scopes: [], skipAuthorization: false });
    expect((await current()).body).toMatchObject({ description: "", scopes: [], skipAuthorization: false });
  });

  it("reactivates a client when isActive is set to null", async () => {
    const { patch, current } = await givenClientToPatch();
    expect((await patch({ isActive: false })).body.isActive).toBe(false);

    expect((await patch({ isActive: null })).body.isActive).toBe(true);
    expect((await current()).body.isActive).toBe(true);
  });

  it("refuses to remove displayName with 400", async () => {
    const { before, patch, current } = await givenClientToPatch();

    const response = await patch({ displayName: null, description: "ignored" });

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual(["displayName"]);
    expect((await current()).body).toEqual(before);
  });

  it("refuses to remove the last redirect URI of a public client", async () => {
    const { patch } = await givenClientToPatch(publicClient());

    const response = await patch({ redirectUris: null });

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toContain("redirectUris");
  });

  it.each<[string, unknown, string]>([
    ["a too long displayName", { displayName: "n".repeat(101) }, "displayName"],
    ["a relative redirect URI", { redirectUris: ["callback"] }, "redirectUris/0"],
    ["an unknown member", { owner: "me" }, "owner"],
    ["a document that is not an object", ["replace", "/displayName"], "(body)"],
  ])("refuses %s with 400 naming it", async (_case, document, field) => {
    const { patch } = await givenClientToPatch();

    const response = await patch(document);

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toContain(field);
  });

  it("refuses to change an immutable member with 400 immutable_field", async () => {
    const { before, patch, current } = await givenClientToPatch();

    const response = await patch({ isConfidential: false });

    expectProblem(response, 400, "immutable_field");
    expect(fieldsOf(response)).toEqual(["isConfidential"]);
    expect((await current()).body).toEqual(before);
  });

  it("honours If-Match: the current ETag writes, a stale or weak one gets 412 and writes nothing", async () => {
    const { patch, current } = await givenClientToPatch();

    expect((await patch({ description: "First" }).set("If-Match", '"0"')).status).toBe(200);
    expectProblem(await patch({ description: "Lost" }).set("If-Match", '"0"'), 412, "precondition_failed");
    expectProblem(await patch({ description: "Lost" }).set("If-Match", 'W/"1"'), 412, "precondition_failed");

    const after = await current();
    expect([after.headers.etag, after.body.description]).toEqual(['"1"', "First"]);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "application/xml"])(
    "refuses a %s body with 415 and changes nothing",
    async (contentType) => {
      const { before, patch, current } = await givenClientToPatch();

      const response = await patch({ description: "x" }, contentType);

      expectProblem(response, 415, "unsupported_media_type");
      expect((await current()).body).toEqual(before);
    },
  );

  it("refuses another patch format with 415 naming the accepted ones, rather than reading it as a merge patch", async () => {
    const { before, patch, current } = await givenClientToPatch();

    for (const document of [[{ op: "replace", path: "/description", value: "x" }], { description: "x" }]) {
      const response = await patch(document, "application/json-patch+json");

      expectProblem(response, 415, "unsupported_media_type");
      expect(response.headers["accept-patch"]).toBe("application/merge-patch+json, application/json");
    }
    expect((await current()).body).toEqual(before);
  });

  it("answers 404 client_not_found for an unknown client", async () => {
    const caller = await newCaller(t);

    const response = await t
      .http()
      .patch(clientPath("nobody"))
      .set("Authorization", caller.auth)
      .set("Content-Type", mergePatch)
      .send("{}");

    expectProblem(response, 404, "client_not_found");
  });
});
