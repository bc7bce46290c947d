import type { EventSubscription, RecordedEvent } from "../eventStore.js";
import type { Position } from "../position.js";

/** How long a subscription catching up runs before it gives the event loop a turn (see `events`). */
export const catchUpSliceMs = 10;

/** A page a subscription read: its events, and where the next read starts. */
export type SubscriptionPage = Readonly<{ events: readonly RecordedEvent[]; through: Position | undefined }>;

/** What the store holds of a live subscription: it wakes it after each append (its own and, polled, other processes') and closes it on close. */
export type SubscriptionHandle = Readonly<{ wake: () => void; close: () => Promise<void> }>;

export type PollingSubscriptionOptions = Readonly<{
  after: Position | undefined;
  /**
   * The next matching events strictly after `after`, in position order, and the position the
   * read looked through (past events that did not match); `through` no further than `after`
   * means the subscription has caught up. Synchronous, so that no append of this process can
   * slip in between finding nothing and starting to wait.
   */
  readBatch: (after: Position | undefined) => SubscriptionPage;
  /** Registers the subscription with its store; returns the function that unregisters it. */
  register: (handle: SubscriptionHandle) => () => void;
}>;

/**
 * Reads batch after batch, giving the event loop a turn every slice when catching up; once
 * caught up, waits until the store wakes it: after an append of its own, or once its poll of
 * the file finds that another process committed (appends of other processes announce nothing).
 * The subscription has one iterator: iterating it again continues where the last loop
 * stopped, and a loop that breaks out closes the subscription.
 */
export const createPollingSubscription = (options: PollingSubscriptionOptions): EventSubscription => {
  let closed = false;
  let endWait: (() => void) | undefined;

  const wake = (): void => {
    const resolve = endWait;
    endWait = undefined;
    resolve?.();
  };

  const waitForAppend = (): Promise<void> =>
    new Promise((resolve) => {
      endWait = resolve;
    });

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    unregister();
    // Ends a pending wait, so that a loop awaiting the next event sees the end at once.
    wake();
  };

  const unregister = options.register({ wake, close });

  async function* events(): AsyncGenerator<RecordedEvent, void, undefined> {
    let after = options.after;
    // A subscription catching up on a long log reads page after page (synchronous reads and, often,
    // synchronous handlers), which must not starve other work: once it has run for a slice since it
    // last gave the event loop a turn, it waits for one before its next page. A slice rather than a
    // page, so that the subscriptions of a process catching up together, and what they write in one
    // turn's transaction, share a commit per slice instead of one per page.
    let sliceStartedAt = performance.now();
    try {
      while (!closed) {
        const page = options.readBatch(after);
        const advanced = page.through !== undefined && (after === undefined || page.through > after);
        if (page.events.length === 0 && !advanced) {
          await waitForAppend();
          sliceStartedAt = performance.now();
          continue;
        }
        if (performance.now() - sliceStartedAt >= catchUpSliceMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStartedAt = performance.now();
        }
        for (const event of page.events) {
          if (closed) return;
          after = event.position;
          yield event;
          if (closed) return;
        }
        // Past the events read that this subscription does not follow, too.
        after = page.through ?? after;
      }
    } finally {
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
};
