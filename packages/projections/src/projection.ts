import type { DomainEvent, RecordedEvent } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";

export type ProjectionHandler<Event extends DomainEvent = DomainEvent> = Readonly<{
  /** Applies one event; applying an event already applied changes nothing. */
  apply(event: Event, recorded: RecordedEvent): Promise<void>;
  /** Removes everything the projection built, for a rebuild from zero. */
  clear(): Promise<void>;
}>;

export type Projection<Event extends DomainEvent = DomainEvent> = Readonly<{
  /** Names the checkpoint; changing it makes the projection start over. */
  name: string;
  /** Only events of streams with this prefix are delivered. */
  streamPrefix: string;
  /**
   * Whether the projection knows an event type. The runner skips events of other
   * types (a newer writer may add some), counts them, and moves its checkpoint past them.
   */
  isEventType: (type: string) => boolean;
  open: (store: ReadModelStore) => Promise<ProjectionHandler<Event>>;
}>;
