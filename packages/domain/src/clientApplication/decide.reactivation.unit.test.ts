import { describe, it } from "vitest";
import type { PatchClient, UpdateClient } from "./commands.js";
import { ClientApplicationRejections } from "./decide.js";
import {
  activate,
  asAdmin,
  activated,
  after,
  aSecret,
  deactivated,
  keyExpired,
  keyIssued,
  keyRevoked,
  patch,
  registered,
  registeredPublic,
  secretRotated,
  selfRegistered,
  spec,
  update,
} from "./testing/builders.js";

const { reactivationNeedsAdmin } = ClientApplicationRejections;

/** The command as sent by a caller that may not reactivate (not an admin). */
const denied = <Command extends UpdateClient | PatchClient>(command: Command): Command => ({
  ...command,
  data: { ...command.data, mayReactivate: false },
});

describe("reactivation records what becomes valid again", () => {
  it("names the live secrets, the live keys and the registration token", () => {
    spec
      .given([
        selfRegistered(),
        keyIssued({ keyId: "key-1" }),
        keyIssued({ keyId: "key-2" }),
        keyIssued({ keyId: "key-3", expiresOn: after(-1) }),
        keyRevoked("key-2"),
        deactivated(),
      ])
      .when(activate())
      .then([
        activated(undefined, undefined, {
          secrets: [{ secretId: "secret-1", fingerprint: "…wxyz" }],
          apiKeys: [{ keyId: "key-1", fingerprint: "…ey-1" }],
          registrationToken: true,
        }),
      ]);
  });

  it("leaves out a secret whose grace period ended while the client was inactive, and an expired key", () => {
    spec
      .given([
        registered(),
        secretRotated({
          gracePeriodSeconds: 60,
          supersededSecrets: [{ secretId: "secret-1", fingerprint: "…wxyz", expiresOn: after(-1) }],
        }),
        keyIssued({ keyId: "key-1", expiresOn: after(-60) }),
        keyExpired("key-1"),
        deactivated(),
      ])
      .when(asAdmin(update({ isActive: true })))
      .then([
        activated(undefined, undefined, {
          secrets: [{ secretId: "secret-2", fingerprint: "…et-2" }],
          apiKeys: [],
          registrationToken: false,
        }),
      ]);
  });

  it("names no secret for a public client", () => {
    spec
      .given([registeredPublic(), deactivated()])
      .when(asAdmin(patch({ isActive: true })))
      .then([activated(undefined, undefined, { secrets: [], apiKeys: [], registrationToken: false })]);
  });

  it("refuses reactivation to a command that does not say it may: deny by default", () => {
    spec
      .given([registered(), deactivated()])
      .when(update({ isActive: true }))
      .thenRejects(reactivationNeedsAdmin);
  });

  it("refuses reactivation by PUT or PATCH to a caller that may not reactivate", () => {
    for (const command of [update({ isActive: true }), patch({ isActive: true }), patch({ isActive: null })]) {
      spec.given([registered(), deactivated()]).when(denied(command)).thenRejects(reactivationNeedsAdmin);
    }
  });

  it("lets that caller change an inactive client's other fields, and keep an active client active", () => {
    spec
      .given([registered({ isActive: false, secret: aSecret() })])
      .when(denied(update({ isActive: false })))
      .thenNothingHappens();
    spec
      .given([registered()])
      .when(denied(update({ isActive: true })))
      .thenNothingHappens();
  });
});
