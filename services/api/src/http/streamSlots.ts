import { Problems } from "./problem.js";
import { problem, retryAfterHeaders } from "./routes/routeResponses.js";

export type StreamLimits = Readonly<{ total: number; perCredential: number }>;

export type StreamSlots = Readonly<{
  /** Takes a slot for a live stream of this credential, or throws the 429/503 that says why not; call `release` when the stream ends. */
  acquire: (credentialId: string) => Readonly<{ release: () => void }>;
}>;

/** When a refused client may try again: streams end as readers leave, so soon. */
const retryAfterSeconds = 5;

/**
 * Counts the live streams (SSE) open in this process, in all and per credential, so
 * that neither one caller nor all together can hold more connections and pollers
 * than the process is sized for. A slot is freed once, however often it is released.
 */
export const createStreamSlots = (limits: StreamLimits): StreamSlots => {
  let open = 0;
  const byCredential = new Map<string, number>();
  return {
    acquire: (credentialId) => {
      const mine = byCredential.get(credentialId) ?? 0;
      if (mine >= limits.perCredential) {
        throw Problems.tooManyRequests(
          `This credential has ${mine} live streams open already; close one first.`,
          retryAfterSeconds,
          "too_many_streams",
        );
      }
      if (open >= limits.total)
        throw Problems.unavailable("streams_exhausted", "The server holds as many live streams as it can.", retryAfterSeconds);
      open += 1;
      byCredential.set(credentialId, mine + 1);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          open -= 1;
          const left = (byCredential.get(credentialId) ?? 1) - 1;
          if (left > 0) byCredential.set(credentialId, left);
          else byCredential.delete(credentialId);
        },
      };
    },
  };
};

/** What a route with a live stream may answer besides its 200, for the route declarations. */
export const streamRefusals = {
  429: problem("too_many_streams: this credential's live streams are at the cap (text/event-stream only)", retryAfterHeaders),
  503: problem("streams_exhausted: the server's live streams are at the cap (text/event-stream only)", retryAfterHeaders),
};
