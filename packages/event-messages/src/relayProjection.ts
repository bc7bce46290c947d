import { isRegistryEventType, type RegistryEvent } from "@clientapps/domain";
import type { MessageBus } from "@clientapps/message-bus";
import type { Projection } from "@clientapps/projections";
import { inSpan, traceContext } from "@clientapps/runtime";
import { eventsTopic, toEventMessage } from "./eventMessage.js";

/** The relay's checkpoint name, which its lag is reported under. */
export const relayCheckpoint = "relay";

/**
 * The relay is a checkpointed subscription like any projection, whose effect is
 * a publish: the projection runner gives it ordering, checkpoints and retries.
 * Publishing comes before the checkpoint, so a crash between the two publishes
 * an event twice, never zero times; consumers deduplicate by event id. Events of
 * types this build does not know are skipped (and counted) by the runner: a
 * message it cannot type would be one no consumer could read either.
 */
export const relayProjection = (bus: MessageBus): Projection<RegistryEvent> => ({
  name: relayCheckpoint,
  // Every stream: client applications' and workspaces', in the one order of the log.
  streamPrefix: "",
  isEventType: isRegistryEventType,
  open: async () => ({
    // Re-running the relay from zero republishes everything, which consumers absorb.
    clear: async () => {},
    // The message's headers carry the publish span's trace context on to the consumers.
    apply: (event, recorded) =>
      inSpan("relay publish", { kind: "producer", attributes: { "messaging.destination.name": eventsTopic } }, async () => {
        const message = toEventMessage(event, recorded);
        await bus.publish(eventsTopic, [{ ...message, headers: { ...message.headers, ...traceContext() } }]);
      }),
  }),
});
