import type { RecordedEvent } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";

export type ProjectionHandler = Readonly<{
  /** Applies one event; applying an event already applied changes nothing. */
  apply: (event: RecordedEvent) => Promise<void>;
  /** Removes everything the projection built, for a rebuild from zero. */
  clear: () => Promise<void>;
}>;

export type Projection = Readonly<{
  /** Names the checkpoint; changing it makes the projection start over. */
  name: string;
  /** Only events of streams with this prefix are delivered. */
  streamPrefix: string;
  open: (store: ReadModelStore) => Promise<ProjectionHandler>;
}>;
