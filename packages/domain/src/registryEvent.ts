import { isClientApplicationEventType, type ClientApplicationEvent } from "./clientApplication/events.js";
import { isWorkspaceEventType, type WorkspaceEvent } from "./workspace/events.js";

/** Every event of the log: a client application's or a workspace's. */
export type RegistryEvent = ClientApplicationEvent | WorkspaceEvent;

export const isWorkspaceEvent = (event: RegistryEvent): event is WorkspaceEvent => isWorkspaceEventType(event.type);

export const isClientApplicationEvent = (event: RegistryEvent): event is ClientApplicationEvent => isClientApplicationEventType(event.type);

/** Whether this build knows an event type, of either stream. */
export const isRegistryEventType = (type: string): boolean => isClientApplicationEventType(type) || isWorkspaceEventType(type);
