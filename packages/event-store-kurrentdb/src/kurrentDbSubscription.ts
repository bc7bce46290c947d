import type { EventSubscription, RecordedEvent } from "@clientapps/event-store";
import type { AllStreamResolvedEvent, AllStreamSubscription } from "@kurrent/kurrentdb-client";
import { isSelected, toRecordedEvent, translateError, type Selection } from "./mapping.js";

export type KurrentDbSubscriptionOptions = Readonly<{
  selection: Selection;
  /** Starts the client's subscription to $all; called on the first iteration, never after close. */
  open: () => AllStreamSubscription;
  /** Called once when the subscription closes, for the store to forget it. */
  onClose: () => void;
}>;

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
 */
export const createKurrentDbSubscription = ({ selection, open, onClose }: KurrentDbSubscriptionOptions): EventSubscription => {
  let closed = false;
  let driver: AllStreamSubscription | undefined;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    onClose();
    if (driver !== undefined) await stop(driver);
  };

  async function* events(): AsyncGenerator<RecordedEvent, void, undefined> {
    if (closed) return;
    driver = open();
    // The client emits errors on its stream even when no loop is reading it any more (after a
    // break or close); without a listener of its own such an error would crash the process.
    // While a loop reads, the stream's iterator receives the errors and this listener changes nothing.
    driver.on("error", () => undefined);
    let after = selection.after;
    try {
      for await (const resolved of driver as AsyncIterable<AllStreamResolvedEvent>) {
        if (closed) return;
        const event = resolved.event;
        if (event === undefined || !isSelected(event, { ...selection, after })) continue;
        const recorded = toRecordedEvent(event);
        after = recorded.position;
        yield recorded;
        if (closed) return;
      }
    } catch (error) {
      if (!closed) throw translateError(error, "to deliver a subscription to all events");
    } finally {
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
};
