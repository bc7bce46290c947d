import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  confidentialClient,
  fieldsOf,
  givenClient,
  listClients,
  newCaller,
  nextLinkOf,
  positionOf,
  publicClient,
  type Caller,
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

type Listed = { clientId: string; displayName: string };
const idsOf = (response: { body: unknown }): string[] => (response.body as Listed[]).map((client) => client.clientId);

/** Follows `Link: rel="next"` from the first page to the last; returns each page's ids. */
const allPages = async (caller: Caller, query: Record<string, string>): Promise<string[][]> => {
  const pages: string[][] = [];
  let response = await listClients(t, caller.auth, query);
  for (;;) {
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    pages.push(idsOf(response));
    const next = nextLinkOf(response);
    if (!next) return pages;
    expect(pages.length).toBeLessThan(50);
    response = await t.http().get(next).set("Authorization", caller.auth);
  }
};

const givenClients = async (caller: Caller, ids: readonly string[]): Promise<void> => {
  for (const clientId of ids) await givenClient(t, caller, confidentialClient({ clientId, displayName: `App ${clientId}` }));
};

describe("GET /api/v1/clientapplications", () => {
  it("answers an empty array, without a Link, for a workspace without clients", async () => {
    const caller = await newCaller(t);

    const response = await listClients(t, caller.auth);

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.headers["cache-control"]).toBe("private, no-cache");
    expect(response.headers.link).toBeUndefined();
    expect(response.body).toEqual([]);
  });

  it("lists every client once, in client id order, across pages linked by rel=next", async () => {
    const caller = await newCaller(t);
    const ids = ["kilo", "alpha", "Zulu", "echo", "bravo-2", "bravo-10", "delta"];
    await givenClients(caller, ids);

    const pages = await allPages(caller, { pageSize: "3" });

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].sort());
  });

  it("ends without an empty page when the clients fill the last page exactly", async () => {
    const caller = await newCaller(t);
    await givenClients(caller, ["a1", "a2", "a3", "a4"]);

    expect(await allPages(caller, { pageSize: "2" })).toEqual([
      ["a1", "a2"],
      ["a3", "a4"],
    ]);
  });

  it("keeps the filters in the next link", async () => {
    const caller = await newCaller(t);
    await givenClients(caller, ["one", "two", "three"]);
    await givenClient(t, caller, confidentialClient({ clientId: "other", displayName: "Something else" }));

    const pages = await allPages(caller, { pageSize: "1", q: "app " });

    expect(pages).toEqual([["one"], ["three"], ["two"]]);
  });

  it.each([
    ["1", 200],
    ["500", 200],
    ["0", 400],
    ["501", 400],
    ["abc", 400],
    ["1.5", 400],
    ["", 400],
  ])("answers pageSize=%s with %i", async (pageSize, status) => {
    const caller = await newCaller(t);

    const response = await listClients(t, caller.auth, { pageSize });

    if (status === 200) expect(response.status).toBe(200);
    else {
      expectProblem(response, 400, "validation_failed");
      expect(fieldsOf(response)).toEqual(["pageSize"]);
    }
  });

  it("filters on isConfidential, isActive and a case-insensitive display name fragment", async () => {
    const caller = await newCaller(t);
    await givenClient(t, caller, confidentialClient({ clientId: "c-active", displayName: "Billing Sync" }));
    await givenClient(t, caller, confidentialClient({ clientId: "c-inactive", displayName: "Old billing export", isActive: false }));
    await givenClient(t, caller, publicClient({ clientId: "p-active", displayName: "Mobile app" }));

    const ids = async (query: Record<string, string>) => idsOf(await listClients(t, caller.auth, query));
    expect(await ids({ isConfidential: "true" })).toEqual(["c-active", "c-inactive"]);
    expect(await ids({ isConfidential: "false" })).toEqual(["p-active"]);
    expect(await ids({ isActive: "false" })).toEqual(["c-inactive"]);
    expect(await ids({ isActive: "true" })).toEqual(["c-active", "p-active"]);
    expect(await ids({ q: "BILLING" })).toEqual(["c-active", "c-inactive"]);
    expect(await ids({ q: "billing", isActive: "true" })).toEqual(["c-active"]);
    expect(await ids({ q: "%" })).toEqual([]);
    expect(await ids({ q: "nothing like it" })).toEqual([]);
  });

  it.each([
    [{ isActive: "yes" }, "isActive"],
    [{ isConfidential: "1" }, "isConfidential"],
    [{ q: "x".repeat(101) }, "q"],
  ])("refuses the filter %o with 400 naming it", async (query, field) => {
    const caller = await newCaller(t);

    const response = await listClients(t, caller.auth, query);

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual([field]);
  });

  it("refuses an unknown query parameter with 400", async () => {
    const caller = await newCaller(t);

    const response = await listClients(t, caller.auth, { sort: "displayName" });

    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors).toEqual([expect.objectContaining({ field: "sort", code: "unknown_field" })]);
  });

  it.each(["not-a-cursor", Buffer.from(JSON.stringify(["displayName", "a", "b"])).toString("base64url")])(
    "refuses the cursor %s with 400 invalid_cursor",
    async (cursor) => {
      const caller = await newCaller(t);

      expectProblem(await listClients(t, caller.auth, { cursor }), 400, "invalid_cursor");
    },
  );

  it("leaves deleted clients out", async () => {
    const caller = await newCaller(t);
    await givenClients(caller, ["keep", "drop"]);
    expect((await t.http().delete(clientPath("drop")).set("Authorization", caller.auth)).status).toBe(204);

    expect(idsOf(await listClients(t, caller.auth))).toEqual(["keep"]);
  });

  it("shows nothing of other workspaces", async () => {
    const mine = await newCaller(t);
    const theirs = await newCaller(t);
    await givenClient(t, mine, confidentialClient({ clientId: "mine" }));
    const written = await givenClient(t, theirs, confidentialClient({ clientId: "theirs" }));

    // Waiting for the other workspace's write makes sure its absence is not lag.
    const response = await listClients(t, mine.auth).set("X-Min-Position", positionOf(written));

    expect(idsOf(response)).toEqual(["mine"]);
    expect(response.text).not.toContain(theirs.workspaceId);
  });
});
