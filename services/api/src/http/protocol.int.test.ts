import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  clientsPath,
  confidentialClient,
  createClient,
  givenClient,
  listClients,
  newCaller,
} from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("HTTP protocol", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = async (contentType: string, body: string) => {
    const caller = await newCaller(t);
    return t.http().post(clientsPath).set("Authorization", caller.auth).set("Content-Type", contentType).send(body);
  };

  it.each([
    ["text/plain", JSON.stringify(confidentialClient())],
    ["application/x-www-form-urlencoded", "displayName=Form+app&isConfidential=true"],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="displayName"\r\n\r\nApp\r\n--x--'],
    ["application/json; charset=latin1", JSON.stringify(confidentialClient())],
  ])("refuses a %s body with 415", async (contentType, body) => {
    expectProblem(await post(contentType, body), 415, "unsupported_media_type");
  });

  it("refuses a PUT body that is not JSON with 415", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenClient(t, caller)).body.clientId as string;

    const response = await t
      .http()
      .put(clientPath(clientId))
      .set("Authorization", caller.auth)
      .set("Content-Type", "text/plain")
      .send("displayName=x");

    expectProblem(response, 415, "unsupported_media_type");
  });

  it.each(['{"displayName": "Broken"', "{displayName: 'x'}", '"just a string"', "42"])(
    "refuses the JSON body %s with 400 malformed_json",
    async (body) => {
      const response = await post("application/json", body);

      const problem = expectProblem(response, 400, "malformed_json");
      expect(problem.detail).not.toContain("Broken");
    },
  );

  it("answers every error as an RFC 9457 problem document", async () => {
    const caller = await newCaller(t);

    const response = await createClient(t, caller.auth, { displayName: "", colour: "blue" }).set("X-Request-Id", "req-problem-1");

    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(response.body).toEqual({
      type: "urn:clientapps:problem:validation_failed",
      title: "Validation failed",
      status: 400,
      detail: expect.any(String),
      instance: "/api/v1/clientapplications",
      code: "validation_failed",
      requestId: "req-problem-1",
      errors: expect.arrayContaining([
        { field: "displayName", code: expect.any(String), message: expect.any(String) },
        { field: "colour", code: "unknown_field", message: expect.any(String) },
      ]),
    });
  });

  it("names the request, query included, as the problem's instance", async () => {
    const caller = await newCaller(t);

    const response = await listClients(t, caller.auth, { pageSize: "0" });

    expect(expectProblem(response, 400, "validation_failed").instance).toBe("/api/v1/clientapplications?pageSize=0");
  });

  it("answers an unknown route with a 404 problem document", async () => {
    const caller = await newCaller(t);
    const requests = [
      ["/api/v1/nothing-here", t.http().get("/api/v1/nothing-here")],
      ["/api/v2/clientapplications", t.http().post("/api/v2/clientapplications").send({})],
      [
        "/api/v1/clientapplications/some-app/unknown",
        t
          .http()
          .get(`${clientPath("some-app")}/unknown`)
          .set("Authorization", caller.auth),
      ],
    ] as const;

    for (const [path, request] of requests) {
      const problem = expectProblem(await request, 404, "route_not_found");
      expect(problem.instance).toBe(path);
    }
  });

  it("echoes an X-Request-Id it is given, on success and on error", async () => {
    const caller = await newCaller(t);

    const ok = await listClients(t, caller.auth).set("X-Request-Id", "trace-abc.123");
    const failed = await listClients(t, caller.auth, { bogus: "1" }).set("X-Request-Id", "trace-abc.124");

    expect(ok.headers["x-request-id"]).toBe("trace-abc.123");
    expect(failed.headers["x-request-id"]).toBe("trace-abc.124");
    expect(failed.body.requestId).toBe("trace-abc.124");
  });

  it("makes a fresh request id when none, or an unusable one, is given", async () => {
    const caller = await newCaller(t);

    const none = await listClients(t, caller.auth);
    const other = await listClients(t, caller.auth);
    const unusable = await t.http().get("/api/v1/nothing").set("X-Request-Id", "<script>alert(1)</script>");
    const tooLong = await t.http().get("/api/v1/nothing").set("X-Request-Id", "r".repeat(129));

    for (const response of [none, other, unusable, tooLong]) expect(response.headers["x-request-id"]).toMatch(uuid);
    expect(none.headers["x-request-id"]).not.toBe(other.headers["x-request-id"]);
    expect(unusable.body.requestId).toBe(unusable.headers["x-request-id"]);
  });

  it("tells browsers not to sniff content types, and does not advertise the framework", async () => {
    const response = await t.http().get("/api/v1/nothing");

    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("HTTP protocol with a 1 KiB body limit", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ bodyLimitBytes: 1024 });
  });
  afterAll(async () => {
    await t.close();
  });

  it("accepts a body under the limit", async () => {
    const caller = await newCaller(t);

    const response = await createClient(t, caller.auth, confidentialClient({ description: "d".repeat(500) }));

    expect(response.status).toBe(201);
  });

  it("refuses a body over the limit with 413 and stores nothing", async () => {
    const caller = await newCaller(t);
    const body = confidentialClient({ clientId: "too-big", scopes: Array.from({ length: 80 }, (_, index) => `read:resource-${index}`) });
    expect(JSON.stringify(body).length).toBeGreaterThan(1024);

    const response = await createClient(t, caller.auth, body);

    expectProblem(response, 413, "payload_too_large");
    expect((await listClients(t, caller.auth)).body).toEqual([]);
  });
});
