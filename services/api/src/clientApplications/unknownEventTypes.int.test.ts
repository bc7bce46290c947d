import { randomUUID } from "node:crypto";
import { clientApplicationStreamName } from "@clientapps/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, getClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { startTestApi, testMetricsToken, type TestApi } from "../testing/testApi.js";

/*
 * A newer build appended an event this one does not know (a rolling upgrade, say).
 * Reads of what the projections already built keep working; nothing may be decided
 * on the stream any more, and the skipped event is counted where operators look.
 */

let t: TestApi;
let caller: Caller;
let clientId: string;
const futureType = "ClientRenamedInAFutureVersion";

beforeAll(async () => {
  t = await startTestApi({ metricsToken: testMetricsToken });
  caller = await newCaller(t);
  clientId = (await givenClient(t, caller)).body.clientId as string;
  await t.engines.eventStore.appendToStream(
    clientApplicationStreamName(caller.workspaceId, clientId),
    [
      {
        eventId: randomUUID(),
        type: futureType,
        data: { workspaceId: caller.workspaceId, clientId, displayName: "From the future" },
        metadata: {},
      },
    ],
    { expectedRevision: "any" },
  );
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

describe("a client application whose stream holds an event of a type this build does not know", () => {
  it("is still read from its view, as the projection left it", async () => {
    const response = await getClient(t, caller.auth, clientId);

    expect(response.status).toBe(200);
    expect(response.body.displayName).not.toBe("From the future");
  });

  it.each([
    ["PATCH", () => t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ description: "Changed" })],
    [
      "history",
      () =>
        t
          .http()
          .get(`${clientPath(clientId)}/history`)
          .query({ at: new Date(Date.now() + 60_000).toISOString() })
          .set("Authorization", caller.auth),
    ],
  ])("refuses %s with 503 stream_unreadable and Retry-After: no decision rests on a state that misses a change", async (_, send) => {
    const response = await send();

    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBeDefined();
    expect(response.body).toMatchObject({ code: "stream_unreadable" });
  });

  it("counts the skipped event per projection and type in /metrics", async () => {
    const metrics = (await t.http().get("/metrics").set("Authorization", `Bearer ${testMetricsToken}`)).text;

    for (const projection of ["clientApplications", "credentialIndex", "credentialSchedule", "relay"]) {
      expect(metrics).toContain(`clientapps_projection_unknown_events_total{projection="${projection}",type="${futureType}"} 1`);
    }
  });
});
