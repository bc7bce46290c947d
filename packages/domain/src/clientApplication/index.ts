export * from "./clientApplication.js";
export * from "./commands.js";
export * from "./credentials.js";
export * from "./publicEvent.js";
export * from "./registration.js";
export * from "./decide.js";
export * from "./events.js";
export * from "./limits.js";
export * from "./redirectUri.js";
export * from "./validation.js";
export * from "./streamName.js";
export * from "./text.js";

import type { Decider } from "../decider.js";
import { evolve, initialState, type ClientApplicationState } from "./clientApplication.js";
import type { ClientApplicationCommand } from "./commands.js";
import { decide } from "./decide.js";
import { ClientApplicationLimits } from "./limits.js";
import { isClientApplicationEventType, type ClientApplicationEvent } from "./events.js";

export const clientApplicationDecider: Decider<ClientApplicationCommand, ClientApplicationEvent, ClientApplicationState> = {
  decide,
  evolve,
  initialState,
  isEventType: isClientApplicationEventType,
  streamLimit: {
    maxEvents: ClientApplicationLimits.maxEventsPerClient,
    // Revoking, retiring, expiring, deactivating and deleting must always work, however they are asked for.
    closesDoors: (event) => ["ApiKeyRevoked", "SecretRetired", "ApiKeyExpired", "ClientDeactivated", "ClientDeleted"].includes(event.type),
  },
};
