import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, clientsPath, confidentialClient, newCaller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/** A credential pasted where it does not belong (a path, a member name) is not echoed back nor logged. */
describe("credentials sent in the wrong place", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("a credential in a URL path is redacted in the problem's instance and detail and in the request log line", async () => {
    const caller = await newCaller(t);
    const key = generateCredential("apiKey");

    const response = await t.http().get(clientPath(key)).set("Authorization", caller.auth).set("X-Request-Id", "path-credential");

    const problem = expectProblem(response, 404, "client_not_found");
    expect(response.text).not.toContain(key);
    expect(problem.instance).toBe(`${clientsPath}/ca_key_[redacted]`);
    expect(problem.detail).toContain("ca_key_[redacted]");
    const line = t
      .logs()
      .split("\n")
      .find((entry) => entry.includes("path-credential"));
    expect(line).toBeDefined();
    expect(t.logs()).not.toContain(key);
    expect(JSON.parse(line ?? "{}")).toMatchObject({ path: `${clientsPath}/ca_key_[redacted]`, status: 404 });
  });

  it("a credential in the path of an unknown route is redacted in the problem", async () => {
    const secret = generateCredential("clientSecret");

    const response = await t.http().get(`/api/v1/nothing-here/${secret}?token=${secret}`);

    const problem = expectProblem(response, 404, "route_not_found");
    expect(response.text).not.toContain(secret);
    expect(problem.instance).toBe("/api/v1/nothing-here/ca_secret_[redacted]?token=ca_secret_[redacted]");
  });

  it("a credential used as a body member name is redacted in the validation errors", async () => {
    const caller = await newCaller(t);
    const token = generateCredential("adminToken");

    const response = await t
      .http()
      .post(clientsPath)
      .set("Authorization", caller.auth)
      .send(confidentialClient({ [token]: true }));

    const problem = expectProblem(response, 400, "validation_failed");
    expect(response.text).not.toContain(token);
    expect(problem.errors).toEqual([expect.objectContaining({ field: "ca_admin_[redacted]", code: "unknown_field" })]);
  });

  it("a credential in an RFC 7591 request is redacted in the error description", async () => {
    const caller = await newCaller(t);
    const token = generateCredential("registrationAccessToken");

    const response = await t
      .http()
      .post(`${clientsPath}/register`)
      .set("Authorization", caller.auth)
      .send({ redirect_uris: [`http://app.example.com/${token}`] });

    expect(response.status).toBe(400);
    expect(response.text).not.toContain(token);
  });
});
