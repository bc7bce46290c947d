import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

/*
 * A minimal `text/event-stream` client over Node's fetch, for tests that talk to
 * a listening server the way a browser's EventSource would: it parses the
 * `id:`, `event:` and `data:` lines itself and never reconnects on its own.
 */

export type ServerSentEvent = Readonly<{ id: string | undefined; event: string; data: string }>;

export type EventStream = Readonly<{
  status: number;
  contentType: string | null;
  /** The next `count` events, waiting at most `timeoutMs` for them. */
  take: (count: number, timeoutMs?: number) => Promise<ServerSentEvent[]>;
  /** Aborts the connection, as a client going away does. */
  close: () => Promise<void>;
}>;

/** Parses one event block (the lines before a blank line); undefined for blocks without data (comments, `retry:`). */
const parseBlock = (block: string): ServerSentEvent | undefined => {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join("\n") };
};

export const openEventStream = async (url: string, headers: Readonly<Record<string, string>>): Promise<EventStream> => {
  const aborted = new AbortController();
  const response = await fetch(url, { headers: { Accept: "text/event-stream", ...headers }, signal: aborted.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: ServerSentEvent[] = [];
  let buffer = "";
  let ended = false;
  let pending: Promise<void> | undefined;

  /** Reads one chunk into `received`; one read at a time, shared by whoever waits. */
  const readMore = (): Promise<void> =>
    (pending ??= reader
      .read()
      .then(({ value, done }) => {
        if (done) ended = true;
        buffer += value ?? "";
        const blocks = buffer.split(/\r\n\r\n|\n\n|\r\r/);
        buffer = blocks.pop() ?? "";
        for (const block of blocks) {
          const event = parseBlock(block);
          if (event) received.push(event);
        }
      })
      .catch(() => {
        ended = true;
      })
      .finally(() => {
        pending = undefined;
      }));

  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    take: async (count, timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      try {
        while (received.length < count && !ended) {
          if ((await Promise.race([readMore(), timedOut])) === "timeout") break;
        }
      } finally {
        clearTimeout(timer);
      }
      if (received.length < count) {
        throw new Error(
          `expected ${count} events, got ${received.length}${ended ? " before the stream ended" : ` within ${timeoutMs} ms`}`,
        );
      }
      return received.splice(0, count);
    },
    close: async () => {
      aborted.abort();
      await reader.cancel().catch(() => undefined);
    },
  };
};

export type ListeningApi = Readonly<{ baseUrl: string; close: () => Promise<void> }>;

/** Starts the app on an ephemeral loopback port; `close` also ends open streams, so nothing keeps the process alive. */
export const listen = async (app: Express): Promise<ListeningApi> => {
  const server: Server = await new Promise((resolve, reject) => {
    const started = app.listen(0, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(started)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
