import { EventStoreUnavailableError, type EventSubscription, type Position, type RecordedEvent } from "@clientapps/event-store";
import type { AllStreamResolvedEvent, AllStreamSubscription } from "@kurrent/kurrentdb-client";
import { isSelected, toRecordedEvent, translateError, type Selection } from "./mapping.js";

export type KurrentDbSubscriptionOptions = Readonly<{
  selection: Selection;
  /**
   * Starts the client's subscription to $all after a position (from the start without one);
   * called on the first iteration and on every resubscription, never after close.
   */
  open: (after: Position | undefined) => AllStreamSubscription;
  /** Called once when the subscription closes, for the store to forget it. */
  onClose: () => void;
}>;

/** The wait before resubscribing after a failure, doubled for each further failure in a row, up to the maximum. */
const firstBackoffMs = 100;
const maxBackoffMs = 10_000;

/** Ends the client's subscription; failures are ignored, since the subscription is going away either way. */
const stop = async (subscription: AllStreamSubscription): Promise<void> => {
  try {
    await subscription.unsubscribe();
  } catch {
    // A subscription whose connection never came up has nothing to cancel.
  }
  // Cancelling the gRPC call does not always end the stream piped from it, and a loop
  // awaiting the next event must see the end at once.
  subscription.destroy();
};

/**
 * A subscription to $all as the port's subscription. The client's subscription is opened on
 * the first iteration, so one closed before it is iterated never reaches the server. Like
 * the port's other subscriptions it has one iterator, and a loop that breaks out closes it.
 * The port promises to wait for new events until closed, so when the client's subscription
 * ends (the server may end it cleanly, on a restart or a leader change) or fails as
 * unavailable, it resubscribes after the last event delivered, waiting longer after each
 * failure in a row; only `close()` or a failure retrying cannot fix ends the loop.
 */
export const createKurrentDbSubscription = ({ selection, open, onClose }: KurrentDbSubscriptionOptions): EventSubscription => {
  let closed = false;
  let driver: AllStreamSubscription | undefined;
  let wakeUp: (() => void) | undefined;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    onClose();
    wakeUp?.();
    if (driver !== undefined) await stop(driver);
  };

  /** Waits before resubscribing; close() cuts the wait short. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let after = selection.after;

  /** Delivers the events of one client subscription; throws the unavailable error when it ends while open. */
  async function* deliver(): AsyncGenerator<RecordedEvent, void, undefined> {
    const current = open(after);
    driver = current;
    // The client emits errors on its stream even when no loop is reading it any more (after a
    // break or close); without a listener of its own such an error would crash the process.
    // While a loop reads, the stream's iterator receives the errors and this listener changes nothing.
    current.on("error", () => undefined);
    try {
      for await (const resolved of current as AsyncIterable<AllStreamResolvedEvent>) {
        if (closed) return;
        const event = resolved.event;
        if (event === undefined || !isSelected(event, { ...selection, after })) continue;
        const recorded = toRecordedEvent(event);
        after = recorded.position;
        yield recorded;
        if (closed) return;
      }
    } catch (error) {
      if (closed) return;
      throw translateError(error, "to deliver a subscription to all events");
    }
    if (!closed) throw new EventStoreUnavailableError("KurrentDB ended the subscription to all events.");
  }

  async function* events(): AsyncGenerator<RecordedEvent, void, undefined> {
    let failures = 0;
    try {
      while (!closed) {
        try {
          for await (const event of deliver()) {
            failures = 0;
            yield event;
          }
        } catch (error) {
          if (closed || !(error instanceof EventStoreUnavailableError)) throw error;
          const stopping = driver;
          if (stopping !== undefined) await stop(stopping);
          await pause(Math.min(firstBackoffMs * 2 ** failures, maxBackoffMs));
          failures += 1;
        }
      }
    } finally {
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
};
