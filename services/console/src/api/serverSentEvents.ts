import { authorizedFetch } from "./client.js";

export type ServerSentEvent = Readonly<{ id: string | undefined; event: string; data: string }>;

/** Parses a `text/event-stream` body (WHATWG HTML §9.2) as it arrives. */
async function* eventsOf(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        if (colon === 0) continue;
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") id = value;
        else if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) yield { id, event, data: data.join("\n") };
    }
  }
}

/**
 * Follows a live tail over fetch (EventSource cannot send an Authorization header), resuming with
 * Last-Event-ID after a dropped connection, until `signal` aborts.
 */
export const followStream = async (
  path: string,
  lastEventId: string | undefined,
  onEvent: (event: ServerSentEvent) => void,
  onState: (state: "live" | "reconnecting") => void,
  signal: AbortSignal,
): Promise<void> => {
  let resumeFrom = lastEventId;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (resumeFrom !== undefined) headers["Last-Event-ID"] = resumeFrom;
      const response = await authorizedFetch(path, { headers, signal });
      if (!response.ok || !response.body) throw new Error(`the live tail answered ${response.status}`);
      onState("live");
      for await (const event of eventsOf(response.body)) {
        if (event.id !== undefined) resumeFrom = event.id;
        onEvent(event);
      }
    } catch {
      if (signal.aborted) return;
    }
    onState("reconnecting");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
};
