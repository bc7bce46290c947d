/** One stream per workspace; the prefix lets a subscription filter on it. */
export const workspaceStreamPrefix = "workspace-";

export const workspaceStreamName = (workspaceId: string): string => `${workspaceStreamPrefix}${workspaceId}`;
