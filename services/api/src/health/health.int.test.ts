import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getClient, givenClient, newCaller, positionOf } from "../testing/clientApplicationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

describe("health", () => {
  it("answers /healthz with 200, without a credential", async () => {
    const response = await t.http().get("/healthz");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("answers /readyz with 200, both engines up and the client-application projection listed", async () => {
    const response = await t.http().get("/readyz");

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: "ready",
      eventStore: { status: "up" },
      readModels: { status: "up" },
      bus: { status: "up" },
      projections: { clientApplications: expect.objectContaining({ caughtUp: expect.any(Boolean) }) },
    });
  });

  it("shows the projection caught up with the head of the log once a write has been read back", async () => {
    const caller = await newCaller(t);
    const created = await givenClient(t, caller);
    // The writer's read waits for the projection, so afterwards it has applied the write.
    expect((await getClient(t, caller.auth, created.body.clientId)).status).toBe(200);

    const response = await t.http().get("/readyz");

    expect(response.body.headPosition).toBe(positionOf(created));
    expect(response.body.projections.clientApplications).toEqual({ checkpoint: positionOf(created), caughtUp: true });
  });

  it("answers 503 with Retry-After, naming the engine, when the read-model store cannot be reached", async () => {
    const broken = await startTestApi();
    try {
      await broken.engines.servedReadModels.close();
      const response = await broken.http().get("/readyz");
      expect(response.status).toBe(503);
      expect(response.headers["retry-after"]).toBeDefined();
      expect(response.body).toMatchObject({ status: "unavailable", readModels: { status: "down" }, eventStore: { status: "up" } });
    } finally {
      await broken.close();
    }
  });
});
