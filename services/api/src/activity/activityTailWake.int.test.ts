import { afterAll, beforeAll, expect, it } from "vitest";
import { activityPath, auditedEntryOf, requestIdOf, type ActivityEntry } from "../testing/activityRequests.js";
import { clientPath, givenClient, newCaller } from "../testing/clientApplicationRequests.js";
import { listen, openEventStream, type ListeningApi } from "../testing/eventStreamClient.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let server: ListeningApi;

beforeAll(async () => {
  // Live streams that would poll once a minute: what reaches them sooner was announced by the write.
  t = await startTestApi({ streamPollIntervalMs: 60_000 });
  server = await listen(t.api.app);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

it("sends a write of this process to the activity tail as it is recorded, without waiting for the tail's poll", async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  await auditedEntryOf(t, caller.auth, created);
  const stream = await openEventStream(`${server.baseUrl}${activityPath}`, { Authorization: caller.auth });
  try {
    const renamed = await t
      .http()
      .patch(clientPath(created.body.clientId as string))
      .set("Authorization", caller.auth)
      .send({ displayName: "Renamed" });
    expect(renamed.status).toBe(200);

    // Well within the minute the tail would otherwise sleep.
    const [event] = await stream.take(1, 10_000);
    expect(JSON.parse(event!.data) as ActivityEntry).toMatchObject({ operation: "update", requestId: requestIdOf(renamed) });
  } finally {
    await stream.close();
  }
});
