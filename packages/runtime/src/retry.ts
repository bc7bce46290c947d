/** Exponential backoff with full jitter, capped; for loops that must outlive an engine outage. */
export const backoffDelay = (attempt: number, baseMs = 100, capMs = 10_000): number =>
  Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
