import type { ClientApplication, ClientApplicationState } from "@clientapps/domain";
import type { CollectionDefinition } from "@clientapps/read-models";

/**
 * The client-application read model: the decider's state as a document, so a
 * write's response and a later read are built by the same function from the
 * same shape. A deleted client stays as a tombstone without its secrets.
 */
export type ClientApplicationView = ClientApplication & Readonly<{ deleted: boolean; deletedOn: string | null }>;

export const clientApplicationsCollection: CollectionDefinition = {
  name: "clientApplications",
  indexes: [{ fields: ["workspaceId", "deleted", "clientId"] }, { fields: ["workspaceId", "deleted", "createdOn"] }],
};

/** The checkpoint of the projection that builds this collection: reads of it wait for their writes to pass it. */
export const clientApplicationsCheckpoint = "clientApplications";

export const clientApplicationViewId = (workspaceId: string, clientId: string): string => `${workspaceId}:${clientId}`;

export const viewOf = (client: ClientApplication): ClientApplicationView => ({ ...client, deleted: false, deletedOn: null });

export const stateOf = (view: ClientApplicationView | undefined): ClientApplicationState => {
  if (!view) return { status: "absent" };
  if (view.deleted) {
    return { status: "deleted", workspaceId: view.workspaceId, clientId: view.clientId, deletedOn: view.deletedOn ?? view.updatedOn };
  }
  const { deleted: _deleted, deletedOn: _deletedOn, ...client } = view;
  return { status: "registered", client };
};
