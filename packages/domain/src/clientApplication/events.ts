import type { ClientSecret, UpdatableFields } from "./clientApplication.js";

type Identity = Readonly<{ workspaceId: string; clientId: string }>;

export type ClientRegistered = Readonly<{
  type: "ClientRegistered";
  data: Identity &
    Readonly<{
      displayName: string;
      description: string;
      redirectUris: readonly string[];
      isConfidential: boolean;
      grantTypes: readonly string[];
      scopes: readonly string[];
      skipAuthorization: boolean;
      isActive: boolean;
      /** Hash and fingerprint of the first secret of a confidential client; never the secret. */
      secret: ClientSecret | null;
      registeredOn: string;
    }>;
}>;

export type ClientUpdated = Readonly<{
  type: "ClientUpdated";
  data: Identity &
    Readonly<{
      /** New values of the fields that changed, and only those. */
      changes: Partial<UpdatableFields>;
      /** Their values before the change, so consumers need no state to show a diff. */
      previous: Partial<UpdatableFields>;
      updatedOn: string;
    }>;
}>;

export type ClientActivated = Readonly<{ type: "ClientActivated"; data: Identity & Readonly<{ activatedOn: string }> }>;

export type ClientDeactivated = Readonly<{ type: "ClientDeactivated"; data: Identity & Readonly<{ deactivatedOn: string }> }>;

export type ClientDeleted = Readonly<{ type: "ClientDeleted"; data: Identity & Readonly<{ deletedOn: string }> }>;

export type ClientApplicationEvent = ClientRegistered | ClientUpdated | ClientActivated | ClientDeactivated | ClientDeleted;

export type ClientApplicationEventType = ClientApplicationEvent["type"];

export const clientApplicationEventTypes: readonly ClientApplicationEventType[] = [
  "ClientRegistered",
  "ClientUpdated",
  "ClientActivated",
  "ClientDeactivated",
  "ClientDeleted",
];
