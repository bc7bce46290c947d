import type { Position, RecordedEvent } from "@clientapps/event-store";
import type { AllStreamResolvedEvent } from "@kurrent/kurrentdb-client";
import { isSelected, toPosition, toRecordedEvent, type Selection } from "./mapping.js";

/** Reads at most `maxCount` events of $all from `start` on, the event at `start` included. */
export type ReadAllPage = (start: Position | undefined, maxCount: number) => AsyncIterable<AllStreamResolvedEvent>;

/**
 * Up to `maxCount` selected events strictly after `after`. The client's read includes the
 * event it starts at and returns events the selection leaves out (system events under a
 * prefix), so a page may hold fewer selected events than asked for; reading goes on, page
 * after page, until `maxCount` are found or $all ends.
 */
export const readAllPages = async (
  readPage: ReadAllPage,
  { after, maxCount, streamPrefix }: Selection & Readonly<{ maxCount: number }>,
): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  let start = after;
  while (events.length < maxCount) {
    // One more than still needed, for the event the page starts at.
    const pageSize = maxCount - events.length + 1;
    const pageStart = start;
    let read = 0;
    for await (const { event } of readPage(pageStart, pageSize)) {
      read += 1;
      if (event === undefined) continue;
      // The next page starts at the last event read, whether or not it was selected.
      if (event.position !== undefined) start = toPosition(event.position);
      if (events.length < maxCount && isSelected(event, { after: pageStart, streamPrefix })) {
        events.push(toRecordedEvent(event));
      }
    }
    if (read < pageSize || start === pageStart) break;
  }
  return events;
};
