import { sleep, waitFor, type Started } from "./processes.js";

export type Percentiles = Readonly<{ samples: number; p50Ms: number; p99Ms: number }>;

/** Nearest-rank percentiles of a list of milliseconds. */
export const percentiles = (values: readonly number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { samples: sorted.length, p50Ms: rank(50), p99Ms: rank(99) };
};

type ReadyzBody = { status?: string; projections?: Record<string, { caughtUp?: boolean }> };

export type StartFigures = Readonly<{
  /** From the spawn of the process to its first answer of each kind. */
  healthzMs: number;
  readyzMs: number;
  /** To the first `/readyz` that shows every projection at the head of the log. */
  caughtUpMs: number;
}>;

/**
 * Polls `/healthz` and `/readyz` (each as fast as it answers) from the spawn of the
 * process until the first 200 of each and a readiness that shows every projection
 * caught up. A process that serves nothing while it catches up shows it here.
 */
export const measureStart = async (url: string, spawnedAt: number, process: Started): Promise<StartFigures> => {
  const options = { timeoutMs: 1_800_000, process, intervalMs: 5 };
  const healthz = waitFor("/healthz", async () => ((await fetch(`${url}/healthz`)).ok ? performance.now() : undefined), options);
  const readyz = waitFor("/readyz", async () => ((await fetch(`${url}/readyz`)).ok ? performance.now() : undefined), options);
  const caughtUp = waitFor(
    "projections caught up",
    async () => {
      const response = await fetch(`${url}/readyz`);
      const body = (await response.json()) as ReadyzBody;
      const projections = Object.values(body.projections ?? {});
      return response.ok && projections.length > 0 && projections.every((projection) => projection.caughtUp)
        ? performance.now()
        : undefined;
    },
    { ...options, intervalMs: 20 },
  );
  const [healthzAt, readyzAt, caughtUpAt] = await Promise.all([healthz, readyz, caughtUp]);
  return { healthzMs: healthzAt - spawnedAt, readyzMs: readyzAt - spawnedAt, caughtUpMs: caughtUpAt - spawnedAt };
};

export type FreshnessFigures = Readonly<{ visible: Percentiles; activity: Percentiles }>;

/** Collects the activity stream's live tail: when each client id first appeared in it. */
const tailActivity = async (baseUrl: string, adminToken: string, abort: AbortSignal): Promise<Map<string, number>> => {
  const seen = new Map<string, number>();
  const response = await fetch(`${baseUrl}/api/v1/activity_stream`, {
    headers: { Accept: "text/event-stream", Authorization: `Bearer ${adminToken}` },
    signal: abort,
  });
  if (!response.ok || !response.body) throw new Error(`the activity stream's tail answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const arrivedAt = performance.now();
        buffer += value;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) {
          if (!line.startsWith("data:")) continue;
          const entry = JSON.parse(line.slice(5)) as { object?: { id?: string } };
          const clientId = entry.object?.id;
          if (clientId && !seen.has(clientId)) seen.set(clientId, arrivedAt);
        }
      }
    } catch {
      // Aborted at the end of the measurement.
    }
  })();
  return seen;
};

/**
 * Write → visible and write → activity-stream entry, from the acknowledgement of each
 * create (its 201): a reader with an API key of its own (so it does not wait for the
 * writer's writes) polls the new client until it answers 200, and the activity stream's
 * SSE tail, open throughout, is watched for the client's entry. Writes are sequential.
 * An entry that arrives before the 201 counts as 0 ms.
 */
export const measureFreshness = async (
  baseUrl: string,
  adminToken: string,
  readerClientId: string,
  samples: number,
): Promise<FreshnessFigures> => {
  const admin = { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" };
  const issued = await fetch(`${baseUrl}/api/v1/clientapplications/${readerClientId}/apikeys`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ name: "bench reader", scopes: ["clientapps:read"] }),
  });
  if (issued.status !== 201) throw new Error(`issuing the reader's API key answered ${issued.status}: ${await issued.text()}`);
  const reader = { Authorization: `Bearer ${((await issued.json()) as { key: string }).key}` };
  const abort = new AbortController();
  const seen = await tailActivity(baseUrl, adminToken, abort.signal);
  const visible: number[] = [];
  const activity: number[] = [];
  const run = Date.now().toString(36);
  try {
    // The first write is not counted: the tail may first replay what the stream already holds.
    for (let sample = -1; sample < samples; sample += 1) {
      const clientId = `fresh-${run}-${sample + 1}`;
      const created = await fetch(`${baseUrl}/api/v1/clientapplications`, {
        method: "POST",
        headers: admin,
        body: JSON.stringify({
          clientId,
          displayName: `Fresh ${sample}`,
          isConfidential: false,
          redirectUris: ["https://app.example.com/cb"],
        }),
      });
      const ackAt = performance.now();
      if (created.status !== 201) throw new Error(`a create answered ${created.status}: ${await created.text()}`);
      await created.body?.cancel();
      for (;;) {
        const response = await fetch(`${baseUrl}/api/v1/clientapplications/${clientId}`, { headers: reader });
        await response.body?.cancel();
        if (response.ok) break;
        if (response.status !== 404) throw new Error(`the reader got ${response.status}`);
      }
      const visibleAt = performance.now();
      const arrivedAt = await waitFor("the activity entry", async () => seen.get(clientId), { timeoutMs: 300_000, intervalMs: 1 });
      if (sample < 0) continue;
      visible.push(visibleAt - ackAt);
      activity.push(Math.max(0, arrivedAt - ackAt));
      await sleep(5);
    }
  } finally {
    abort.abort();
  }
  return { visible: percentiles(visible), activity: percentiles(activity) };
};
