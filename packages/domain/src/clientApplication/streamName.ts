/**
 * One stream per client application. The category prefix lets a subscription
 * filter on it; `:` cannot occur in either identifier, so the name is unambiguous.
 */
export const clientApplicationStreamPrefix = "clientapp-";

export const clientApplicationStreamName = (workspaceId: string, clientId: string): string =>
  `${clientApplicationStreamPrefix}${workspaceId}:${clientId}`;

export const parseClientApplicationStreamName = (streamName: string): Readonly<{ workspaceId: string; clientId: string }> | undefined => {
  if (!streamName.startsWith(clientApplicationStreamPrefix)) return undefined;
  const [workspaceId, clientId, ...rest] = streamName.slice(clientApplicationStreamPrefix.length).split(":");
  if (!workspaceId || !clientId || rest.length > 0) return undefined;
  return { workspaceId, clientId };
};
