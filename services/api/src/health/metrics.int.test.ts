import { clientReadModelProjections as projections } from "@clientapps/client-read-models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditedEntryOf } from "../testing/activityRequests.js";
import { clientPath, getClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { startTestApi, testMetricsToken, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let caller: Caller;
let clientId: string;

beforeAll(async () => {
  t = await startTestApi({ metricsToken: testMetricsToken });
  caller = await newCaller(t);
  clientId = (await givenClient(t, caller)).body.clientId as string;
  expect((await getClient(t, caller.auth, clientId)).status).toBe(200);
  expect((await getClient(t, caller.auth, `${clientId}-missing`)).status).toBe(404);
  const patched = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ description: "Measured" });
  expect(patched.status).toBe(200);
  await t.settle();
  await auditedEntryOf(t, caller.auth, patched);
});
afterAll(async () => {
  await t.close();
});

type Sample = Readonly<{ name: string; labels: Readonly<Record<string, string>>; value: number }>;

/** The samples of a Prometheus text exposition (format 0.0.4). */
const samplesOf = (text: string): Sample[] =>
  text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name!, value!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });

const scrape = async (): Promise<Readonly<{ text: string; samples: Sample[] }>> => {
  const response = await t.http().get("/metrics").set("Authorization", `Bearer ${testMetricsToken}`);
  expect(response.status).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: response.text, samples: samplesOf(response.text) };
};

const valueOf = (samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined =>
  samples.find((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value))?.value;

describe("GET /metrics", () => {
  it("answers the scraper, in the Prometheus text format, with HELP and TYPE for its series", async () => {
    const { text } = await scrape();
    expect(text).toContain("# TYPE clientapps_http_requests_total counter");
    expect(text).toContain("# TYPE clientapps_http_request_duration_seconds histogram");
    expect(text).toContain("# TYPE clientapps_projection_lag_positions gauge");
    expect(text).toContain("# TYPE clientapps_activity_lag_seconds histogram");
  });

  it("counts requests by method, route template and status, never by a raw id", async () => {
    const { text, samples } = await scrape();
    const route = "/api/v1/clientapplications/:clientId";

    expect(valueOf(samples, "clientapps_http_requests_total", { method: "GET", route, status: "200" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, "clientapps_http_requests_total", { method: "GET", route, status: "404" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, "clientapps_http_requests_total", { method: "PATCH", route, status: "200" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, "clientapps_http_requests_total", { method: "POST", route: "/api/v1/clientapplications", status: "201" })).toBe(
      1,
    );
    // Neither the existing client's id nor the missing one's (which starts with it) is a label anywhere.
    expect(text).not.toContain(clientId);
  });

  it("times requests in a histogram by method and route template", async () => {
    const { samples } = await scrape();
    const labels = { method: "GET", route: "/api/v1/clientapplications/:clientId" };

    expect(valueOf(samples, "clientapps_http_request_duration_seconds_count", labels)).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, "clientapps_http_request_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(
      valueOf(samples, "clientapps_http_request_duration_seconds_count", labels),
    );
    expect(valueOf(samples, "clientapps_http_request_duration_seconds_sum", labels)).toBeGreaterThan(0);
  });

  it("reports the lag of every projection and of the relay, 0 once they have caught up", async () => {
    await t.settle();
    const { samples } = await scrape();

    for (const projection of [...projections.map((candidate) => candidate.name), "relay"]) {
      expect(valueOf(samples, "clientapps_projection_lag_positions", { projection }), projection).toBe(0);
    }
  });

  it("observes how long writes took to reach the activity stream", async () => {
    const { samples } = await scrape();

    expect(valueOf(samples, "clientapps_activity_lag_seconds_count")).toBeGreaterThanOrEqual(2);
  });
});
