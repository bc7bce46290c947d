import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCaller } from "../../testing/clientApplicationRequests.js";
import { credentialIdOf } from "../../testing/activityRequests.js";
import { awxApplicationPath, awxApplicationsPath } from "../../testing/dialectRequests.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

/* What AWX's clients (awxkit, the AWX collection) read before they touch an application. */

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

describe("AWX's discovery", () => {
  it("serves the API root and the v2 root without a credential, naming only what is served", async () => {
    const root = await t.http().get("/api/");
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ current_version: "/api/v2/", available_versions: { v2: "/api/v2/" } });

    const v2 = await t.http().get(root.body.available_versions.v2 as string);
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual({ ping: "/api/v2/ping/", me: "/api/v2/me/", applications: "/api/v2/applications/" });
  });

  it("answers ping without a credential", async () => {
    const ping = await t.http().get("/api/v2/ping/");
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ ha: false, version: expect.any(String), instances: [], instance_groups: [] });
  });

  it("names the caller in me/, with its workspace as organization 1, and refuses a missing credential", async () => {
    const caller = await newCaller(t);
    const me = await t.http().get("/api/v2/me/").set("Authorization", caller.auth);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      count: 1,
      results: [
        {
          id: 1,
          type: "user",
          username: await credentialIdOf(t, caller.auth),
          is_superuser: true,
          summary_fields: { organization: { id: 1, name: caller.workspaceId } },
        },
      ],
    });
    expect((await t.http().get("/api/v2/me/")).status).toBe(401);
  });

  it("describes the list's fields on OPTIONS, with POST for a caller that may create", async () => {
    const caller = await newCaller(t);
    const options = await t.http().options(awxApplicationsPath).set("Authorization", caller.auth);

    expect(options.status).toBe(200);
    expect(options.body.actions.POST).toMatchObject({
      name: { type: "string", required: true, max_length: 100 },
      client_type: {
        type: "choice",
        required: true,
        choices: [
          ["confidential", "Confidential"],
          ["public", "Public"],
        ],
      },
      authorization_grant_type: {
        type: "choice",
        required: true,
        choices: [
          ["authorization-code", expect.any(String)],
          ["password", expect.any(String)],
        ],
      },
      redirect_uris: { type: "string", required: false },
      skip_authorization: { type: "boolean" },
      organization: { type: "id" },
    });
    expect(options.body.actions.GET).toMatchObject({
      id: { type: "integer" },
      name: { filterable: true },
      description: { filterable: false },
    });
  });

  it("leaves POST out for a caller that may only read", async () => {
    const reader = await newCaller(t, ["clientapps:read"]);
    const options = await t.http().options(awxApplicationsPath).set("Authorization", reader.auth);
    expect(options.status).toBe(200);
    expect(Object.keys(options.body.actions as object)).toEqual(["GET"]);
  });

  it("names an application's methods in Allow on OPTIONS, as awxkit reads them to offer modify and delete", async () => {
    const options = await t.http().options(awxApplicationPath(1));
    expect(options.status).toBe(204);
    expect(options.headers.allow?.split(", ")).toEqual(expect.arrayContaining(["GET", "PUT", "PATCH", "DELETE"]));
  });
});
