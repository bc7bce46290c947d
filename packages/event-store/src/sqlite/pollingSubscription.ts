import type { EventSubscription, RecordedEvent } from "../eventStore.js";
import type { Position } from "../position.js";

/**
 * How long the subscriptions of a process that are catching up run, together, before the event
 * loop gets a turn (see `events`): each one's slice is this shared among them, so that a request
 * waits about this long behind a catch-up however many subscriptions there are.
 */
export const catchUpTurnMs = 20;

/** The subscriptions of this process catching up now (they share the event loop, whichever store they read). */
let catchingUp = 0;

/** How long a subscription catching up runs before it gives the event loop a turn. */
export const catchUpSliceMs = (): number => catchUpTurnMs / Math.max(1, catchingUp);

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
    // synchronous handlers), which must not starve other work: once it has run for its slice since
    // it last gave the event loop a turn, it waits for one before its next event. A slice of time,
    // so that what the subscriptions write in a turn's transaction shares one commit; a share of
    // one turn's time, so that the turn stays short however many catch up together.
    let sliceStartedAt = performance.now();
    let counted = false;
    const caughtUp = (): void => {
      if (counted) catchingUp -= 1;
      counted = false;
    };
    try {
      while (!closed) {
        const page = options.readBatch(after);
        const advanced = page.through !== undefined && (after === undefined || page.through > after);
        if (page.events.length === 0 && !advanced) {
          caughtUp();
          await waitForAppend();
          sliceStartedAt = performance.now();
          continue;
        }
        for (const event of page.events) {
          // Checked before each event, as one page of a slow consumer (the relay, a projection
          // writing to a remote store) may take far longer than a slice.
          if (performance.now() - sliceStartedAt >= catchUpSliceMs()) {
            if (!counted) catchingUp += 1;
            counted = true;
            await new Promise<void>((resolve) => setImmediate(resolve));
            sliceStartedAt = performance.now();
          }
          if (closed) return;
          after = event.position;
          yield event;
          if (closed) return;
        }
        // Past the events read that this subscription does not follow, too.
        after = page.through ?? after;
      }
    } finally {
      caughtUp();
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
};
