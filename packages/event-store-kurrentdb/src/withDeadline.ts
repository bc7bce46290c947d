import { EventStoreUnavailableError } from "@clientapps/event-store";

/**
 * A read that fails with the port's unavailable error once `deadlineMs` have passed since
 * it started, however far it got. The client's reads go through its native bridge, which
 * sets no gRPC deadline, so a server that accepts a read and never answers would hold the
 * caller forever. On the deadline the client's iterator is asked to return, so that it
 * drops its stream once the answer it is waiting for settles; the bridge cannot cancel
 * an answer already asked for.
 */
export async function* withDeadline<T>(read: AsyncIterable<T>, deadlineMs: number, doing: string): AsyncGenerator<T, void, undefined> {
  const iterator = read[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EventStoreUnavailableError(`The KurrentDB event store failed ${doing}: no answer before the ${deadlineMs} ms deadline.`),
        ),
      deadlineMs,
    );
  });
  // Rejected only while a step awaits it; never left unhandled.
  expired.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), expired]);
      if (step.done === true) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    clearTimeout(timer);
    if (!finished) {
      // Not awaited: the bridge settles its pending answer only when the server (or the connection) does.
      iterator.return?.().catch(() => undefined);
    }
  }
}
