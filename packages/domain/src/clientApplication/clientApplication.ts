import { assertNever } from "../decider.js";
import type { ClientApplicationEvent } from "./events.js";

export type ClientSecret = Readonly<{
  secretId: string;
  /** HMAC-SHA-256 of the secret with the server's pepper. */
  hash: string;
  /** Enough to recognise the secret (`…` and its last four characters); never enough to use it. */
  fingerprint: string;
  createdOn: string;
  expiresOn: string | null;
}>;

/** Fields a caller may change after registration. */
export type UpdatableFields = Readonly<{
  displayName: string;
  description: string;
  redirectUris: readonly string[];
  grantTypes: readonly string[];
  scopes: readonly string[];
  skipAuthorization: boolean;
  isActive: boolean;
}>;

export const updatableFieldNames = [
  "displayName",
  "description",
  "redirectUris",
  "grantTypes",
  "scopes",
  "skipAuthorization",
  "isActive",
] as const satisfies readonly (keyof UpdatableFields)[];

/** Fields fixed at registration; a command that names them with another value is refused. */
export type ImmutableFields = Readonly<{ workspaceId: string; clientId: string; isConfidential: boolean }>;

export const immutableFieldNames = ["workspaceId", "clientId", "isConfidential"] as const satisfies readonly (keyof ImmutableFields)[];

export type ClientApplication = UpdatableFields &
  ImmutableFields &
  Readonly<{
    secrets: readonly ClientSecret[];
    createdOn: string;
    updatedOn: string;
  }>;

export type ClientApplicationState =
  | Readonly<{ status: "absent" }>
  | Readonly<{ status: "registered"; client: ClientApplication }>
  | Readonly<{ status: "deleted"; workspaceId: string; clientId: string; deletedOn: string }>;

export const initialState = (): ClientApplicationState => ({ status: "absent" });

export const evolve = (state: ClientApplicationState, event: ClientApplicationEvent): ClientApplicationState => {
  switch (event.type) {
    case "ClientRegistered": {
      const { secret, registeredOn, ...fields } = event.data;
      return {
        status: "registered",
        client: { ...fields, secrets: secret ? [secret] : [], createdOn: registeredOn, updatedOn: registeredOn },
      };
    }
    case "ClientUpdated":
      if (state.status !== "registered") return state;
      return { status: "registered", client: { ...state.client, ...event.data.changes, updatedOn: event.data.updatedOn } };
    case "ClientActivated":
      if (state.status !== "registered") return state;
      return { status: "registered", client: { ...state.client, isActive: true, updatedOn: event.data.activatedOn } };
    case "ClientDeactivated":
      if (state.status !== "registered") return state;
      return { status: "registered", client: { ...state.client, isActive: false, updatedOn: event.data.deactivatedOn } };
    case "ClientDeleted":
      return {
        status: "deleted",
        workspaceId: event.data.workspaceId,
        clientId: event.data.clientId,
        deletedOn: event.data.deletedOn,
      };
    default:
      return assertNever(event);
  }
};
