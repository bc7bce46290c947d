import { clientApplicationEventTypes, clientApplicationStreamPrefix } from "@clientapps/domain";
import type { MessageBus } from "@clientapps/message-bus";
import type { Projection } from "@clientapps/projector";
import { eventsTopic, toEventMessage } from "./eventMessage.js";

const known = new Set<string>(clientApplicationEventTypes);

/**
 * The relay is a checkpointed subscription like any projection, whose effect is
 * a publish: the projector's runner gives it ordering, checkpoints and retries.
 * Publishing comes before the checkpoint, so a crash between the two publishes
 * an event twice, never zero times; consumers deduplicate by event id.
 */
/** The relay's checkpoint name, which its lag is reported under. */
export const relayCheckpoint = "relay";

export const relayProjection = (bus: MessageBus): Projection => ({
  name: relayCheckpoint,
  streamPrefix: clientApplicationStreamPrefix,
  open: async () => ({
    // Re-running the relay from zero republishes everything, which consumers absorb.
    clear: async () => {},
    apply: async (recorded) => {
      if (!known.has(recorded.type)) return;
      await bus.publish(eventsTopic, [toEventMessage(recorded)]);
    },
  }),
});
