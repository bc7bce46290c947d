import type { RecordedEvent } from "./eventStore.js";

export type DomainEvent = Readonly<{ type: string; data: object }>;

/**
 * The one way from a recorded event to a domain event. Events reach a stream only
 * through a decider of this code base, so an event of a known type has the data
 * its type says: the cast below is that promise, made once. A type this build
 * does not know (a newer writer added it) is `undefined`; each reader decides what
 * that means: an aggregate refuses to decide ({@link UnreadableStreamError}), a
 * projection skips the event and counts it.
 */
export const decodeEvent = <Event extends DomainEvent>(
  recorded: Pick<RecordedEvent, "type" | "data">,
  isEventType: (type: string) => boolean,
): Event | undefined => (isEventType(recorded.type) ? ({ type: recorded.type, data: recorded.data } as unknown as Event) : undefined);
