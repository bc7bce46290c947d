import { once } from "node:events";
import type { Request, Response } from "express";
import { sleep } from "@clientapps/runtime";
import { callerOf, credentialStillWorks } from "../auth/authenticate.js";
import type { StreamSlots } from "./streamSlots.js";

export type SseOptions = Readonly<{
  pollIntervalMs: number;
  heartbeatMs?: number;
  slots: StreamSlots;
  /** Announces the writes of this process to what the stream reads (see `ReadModelCollection.watch`), so they go out at once. */
  watch?: ((listener: () => void) => () => void) | undefined;
}>;

/**
 * Streams `text/event-stream` (WHATWG HTML §9.2) until the client goes away:
 * `fetch(after)` is asked for whatever came after the last id sent, in order,
 * and each item goes out with its id, so a reconnect resumes with Last-Event-ID.
 * The stream holds one of the caller's slots (a 429 or 503 when none is free) until it ends,
 * and ends within seconds once the caller's credential stops working.
 */
export const streamServerSentEvents = async <T>(
  request: Request,
  response: Response,
  options: SseOptions &
    Readonly<{ event: string; startAfter: number; fetch: (after: number) => Promise<readonly Readonly<{ id: number; data: T }>[]> }>,
): Promise<void> => {
  const slot = options.slots.acquire(callerOf(response).credentialId);
  try {
    await stream(request, response, options);
  } finally {
    slot.release();
  }
};

const stream = async <T>(
  request: Request,
  response: Response,
  options: SseOptions &
    Readonly<{ event: string; startAfter: number; fetch: (after: number) => Promise<readonly Readonly<{ id: number; data: T }>[]> }>,
): Promise<void> => {
  const closed = new AbortController();
  // Set by a write announced while the stream fetched or wrote, so that it is fetched before any wait.
  let written = false;
  let endWait = new AbortController();
  const unwatch = options.watch?.(() => {
    written = true;
    endWait.abort();
  });
  closed.signal.addEventListener("abort", () => endWait.abort(), { once: true });
  request.on("close", () => closed.abort());
  // A client that left while the route was still preparing (its "close" already emitted) would otherwise be polled for forever.
  if (request.destroyed) closed.abort();
  response.status(200).set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  response.flushHeaders();
  response.write("retry: 2000\n\n");

  let after = options.startAfter;
  let lastWrite = Date.now();
  let lastCheck = Date.now();
  const stillWorks = credentialStillWorks(response);
  // Often enough that a revoked credential's stream ends within seconds; rarely enough to cost nothing.
  const checkEveryMs = Math.max(1000, options.pollIntervalMs * 20);
  try {
    while (!closed.signal.aborted) {
      written = false;
      if (Date.now() - lastCheck >= checkEveryMs) {
        lastCheck = Date.now();
        // The caller reconnects, and is then refused with a 401 like any request with that credential.
        if (!(await stillWorks())) break;
      }
      const items = await options.fetch(after);
      for (const item of items) {
        // A slow reader holds the tail back rather than making the server buffer the whole stream.
        if (!response.write(`id: ${item.id}\nevent: ${options.event}\ndata: ${JSON.stringify(item.data)}\n\n`)) {
          await Promise.race([once(response, "drain"), once(request, "close")]);
        }
        after = item.id;
        lastWrite = Date.now();
      }
      if (items.length > 0) continue;
      if (Date.now() - lastWrite >= (options.heartbeatMs ?? 15_000)) {
        // A comment line keeps proxies from closing an idle stream.
        response.write(": keep-alive\n\n");
        lastWrite = Date.now();
      }
      if (written) continue;
      endWait = new AbortController();
      await sleep(options.pollIntervalMs, endWait.signal);
    }
  } finally {
    unwatch?.();
  }
  response.end();
};

/** The sequence a reconnecting client last saw, from `Last-Event-ID` (or a query fallback for clients that cannot set it). */
export const lastEventId = (request: Request): number | undefined => {
  const raw = request.header("last-event-id") ?? (typeof request.query.lastEventId === "string" ? request.query.lastEventId : undefined);
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
};
