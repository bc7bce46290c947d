import { describe, expect, it } from "vitest";
import { evolve, initialState, type ClientApplicationState } from "./clientApplication.js";
import type { ClientApplicationCommand } from "./commands.js";
import { CredentialRejections } from "./credentials.js";
import { ClientApplicationRejections, decide } from "./decide.js";
import type { ClientApplicationEvent } from "./events.js";
import {
  aSecret,
  after,
  at,
  deactivated,
  deleted,
  registered,
  registeredOn,
  registeredPublic,
  retire,
  rotate,
  rotatedSecret,
  secretRetired,
  secretRotated,
  spec,
} from "./testing/builders.js";

const { validationFailed, publicClient, tooManySecrets, secretNotDue } = CredentialRejections;
const { notFound, deleted: clientDeleted } = ClientApplicationRejections;

const first = aSecret();
const earlier = after(-900);

const fingerprintOf = (secretId: string) => (secretId === "secret-1" ? first.fingerprint : rotatedSecret(secretId).fingerprint);

/** A superseded secret as SecretRotated lists it. */
const notice = (secretId: string, expiresOn: string) => ({ secretId, fingerprint: fingerprintOf(secretId), expiresOn });

/** A rotation 15 minutes before now that issued `secretId` and put `superseded` on notice until `expiresOn`. */
const rotatedEarlier = (secretId: string, superseded: string[], expiresOn: string) =>
  secretRotated({
    secret: rotatedSecret(secretId, earlier),
    gracePeriodSeconds: 3600,
    supersededSecrets: superseded.map((id) => notice(id, expiresOn)),
    rotatedOn: earlier,
  });

/** The client after `count - 1` rotations with grace: `count` working secrets, `secret-1` … `secret-<count>`. */
const withWorkingSecrets = (count: number): ClientApplicationEvent[] => [
  registered(),
  ...Array.from({ length: count - 1 }, (_, index) =>
    rotatedEarlier(
      `secret-${index + 2}`,
      Array.from({ length: index + 1 }, (__, id) => `secret-${id + 1}`),
      after(2700),
    ),
  ),
];

/** The SecretRotated a rotation now produces. */
const rotatedNow = (grace: number, superseded: ReturnType<typeof notice>[], secretId = "secret-2") =>
  secretRotated({ secret: rotatedSecret(secretId), gracePeriodSeconds: grace, supersededSecrets: superseded });

const inGrace = rotatedEarlier("secret-2", ["secret-1"], after(2700));

describe("RotateSecret", () => {
  it("issues a new secret and puts the current one on notice for the grace period", () => {
    spec
      .given([registered()])
      .when(rotate(3600))
      .then([rotatedNow(3600, [notice("secret-1", after(3600))])]);
  });

  it("puts every working secret on notice; one on a shorter notice keeps its earlier expiry", () => {
    spec
      .given([registered(), inGrace])
      .when(rotate(86_400, "secret-3"))
      .then([rotatedNow(86_400, [notice("secret-1", after(2700)), notice("secret-2", after(86_400))], "secret-3")]);
  });

  it("shortens a longer notice to the new grace period", () => {
    spec
      .given([registered(), inGrace])
      .when(rotate(60, "secret-3"))
      .then([rotatedNow(60, [notice("secret-1", after(60)), notice("secret-2", after(60))], "secret-3")]);
  });

  it("does not supersede a secret whose grace period has ended but that is not retired yet", () => {
    spec
      .given([registered(), rotatedEarlier("secret-2", ["secret-1"], after(-1))])
      .when(rotate(3600, "secret-3"))
      .then([rotatedNow(3600, [notice("secret-2", after(3600))], "secret-3")]);
  });

  it("with a grace period of 0 retires the superseded secrets in the same decision", () => {
    spec
      .given([registered()])
      .when(rotate(0))
      .then([rotatedNow(0, [notice("secret-1", at)]), secretRetired("secret-1")]);
  });

  it("with a grace period of 0 retires every working secret, those in their grace period too", () => {
    spec
      .given([registered(), inGrace])
      .when(rotate(0, "secret-3"))
      .then([
        rotatedNow(0, [notice("secret-1", at), notice("secret-2", at)], "secret-3"),
        secretRetired("secret-1"),
        secretRetired("secret-2", fingerprintOf("secret-2")),
      ]);
  });

  it("accepts the longest grace period, one week", () => {
    spec
      .given([registered()])
      .when(rotate(604_800))
      .then([rotatedNow(604_800, [notice("secret-1", after(604_800))])]);
  });

  it("rotates the secret of an inactive client", () => {
    spec
      .given([registered(), deactivated()])
      .when(rotate(0))
      .then([rotatedNow(0, [notice("secret-1", at)]), secretRetired("secret-1")]);
  });

  it.each([-1, 604_801, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses a grace period of %s", (grace) => {
    spec
      .given([registered()])
      .when(rotate(grace))
      .thenRejects(validationFailed, [{ field: "gracePeriodSeconds", code: "out_of_range" }]);
  });

  it("refuses to rotate the secret of a public client", () => {
    spec.given([registeredPublic()]).when(rotate(3600)).thenRejects(publicClient, []);
  });

  it("allows a fifth working secret", () => {
    const superseded = [1, 2, 3, 4].map((n) => notice(`secret-${n}`, n === 4 ? after(3600) : after(2700)));
    spec
      .given(withWorkingSecrets(4))
      .when(rotate(3600, "secret-5"))
      .then([rotatedNow(3600, superseded, "secret-5")]);
  });

  it("refuses a sixth working secret", () => {
    spec.given(withWorkingSecrets(5)).when(rotate(3600, "secret-6")).thenRejects(tooManySecrets, []);
  });

  it("says how many secrets are in their grace period, not counting the current one", () => {
    const decision = decide(rotate(3600, "secret-6"), withWorkingSecrets(5).reduce(evolve, initialState()));
    expect(decision.kind === "rejected" && decision.rejection.detail).toMatch(/^4 secrets are still in their grace period/);
  });

  it("still rotates with a grace period of 0 when too many secrets are working, retiring them all", () => {
    const ids = [1, 2, 3, 4, 5].map((n) => `secret-${n}`);
    spec
      .given(withWorkingSecrets(5))
      .when(rotate(0, "secret-6"))
      .then([
        rotatedNow(
          0,
          ids.map((id) => notice(id, at)),
          "secret-6",
        ),
        ...ids.map((id) => secretRetired(id, fingerprintOf(id))),
      ]);
  });

  it("does not count secrets whose grace period has ended", () => {
    const ended = withWorkingSecrets(5).map((event) =>
      event.type === "SecretRotated"
        ? {
            ...event,
            data: { ...event.data, supersededSecrets: event.data.supersededSecrets.map((s) => ({ ...s, expiresOn: after(-1) })) },
          }
        : event,
    );
    spec
      .given(ended)
      .when(rotate(3600, "secret-6"))
      .then([rotatedNow(3600, [notice("secret-5", after(3600))], "secret-6")]);
  });
});

describe("RetireSecret", () => {
  it.each([
    ["exactly at the end of its grace period", at],
    ["after the end of its grace period", after(-60)],
  ])("retires a superseded secret %s, as valid until its grace ended", (_, expiresOn) => {
    spec
      .given([registered(), rotatedEarlier("secret-2", ["secret-1"], expiresOn)])
      .when(retire("secret-1"))
      .then([secretRetired("secret-1", first.fingerprint, at, expiresOn)]);
  });

  it("does nothing to a secret already retired: never retires twice", () => {
    spec
      .given([registered(), rotatedEarlier("secret-2", ["secret-1"], after(-60)), secretRetired("secret-1", first.fingerprint, after(-30))])
      .when(retire("secret-1"))
      .thenNothingHappens();
  });

  it("does nothing to a secret retired by a rotation without grace", () => {
    spec
      .given([
        registered(),
        secretRotated({ gracePeriodSeconds: 0, supersededSecrets: [notice("secret-1", earlier)], rotatedOn: earlier }),
        secretRetired("secret-1", first.fingerprint, earlier),
      ])
      .when(retire("secret-1"))
      .thenNothingHappens();
  });

  it("refuses a secret still in its grace period", () => {
    spec
      .given([registered(), rotatedEarlier("secret-2", ["secret-1"], after(1))])
      .when(retire("secret-1"))
      .thenRejects(secretNotDue, []);
  });

  it.each([
    ["the only secret", [registered()], "secret-1"],
    ["the current secret after a rotation", [registered(), rotatedEarlier("secret-2", ["secret-1"], after(-60))], "secret-2"],
  ] as const)("refuses %s", (_, given, secretId) => {
    spec.given(given).when(retire(secretId)).thenRejects(secretNotDue, []);
  });
});

describe("a secret command to a client that is not there", () => {
  const commands: [string, ClientApplicationCommand][] = [
    ["RotateSecret", rotate(3600)],
    ["RotateSecret with an invalid grace period", rotate(-1)],
    ["RetireSecret", retire()],
  ];

  it.each(commands)("%s on a client never registered is client_not_found", (_, command) => {
    spec.given([]).when(command).thenRejects(notFound, []);
  });

  it.each(commands)("%s on a deleted client is client_deleted", (_, command) => {
    spec.given([registered(), deleted()]).when(command).thenRejects(clientDeleted, []);
  });
});

describe("evolve: secrets", () => {
  const fold = (events: readonly ClientApplicationEvent[]): ClientApplicationState => events.reduce(evolve, initialState());
  const clientOf = (events: readonly ClientApplicationEvent[]) => {
    const state = fold(events);
    if (state.status !== "registered") throw new Error(`expected a registered client, got ${state.status}`);
    return state.client;
  };
  const rotation = rotatedNow(3600, [notice("secret-1", after(3600))]);

  it("SecretRotated sets the end of the old secret's grace period and appends the new secret", () => {
    const client = clientOf([registered(), rotation]);
    expect(client.secrets).toEqual([{ ...first, expiresOn: after(3600) }, rotatedSecret()]);
    expect(client.createdOn).toBe(registeredOn);
    expect(client.updatedOn).toBe(at);
  });

  it("SecretRotated leaves a secret it does not supersede as it was", () => {
    const ended = rotatedEarlier("secret-2", ["secret-1"], after(-1));
    const client = clientOf([registered(), ended, rotatedNow(60, [notice("secret-2", after(60))], "secret-3")]);
    expect(client.secrets).toEqual([
      { ...first, expiresOn: after(-1) },
      { ...rotatedSecret("secret-2", earlier), expiresOn: after(60) },
      rotatedSecret("secret-3"),
    ]);
  });

  it("SecretRetired removes the secret", () => {
    const retiredOn = after(3600);
    const client = clientOf([registered(), rotation, secretRetired("secret-1", first.fingerprint, retiredOn)]);
    expect(client.secrets).toEqual([rotatedSecret()]);
    expect(client.updatedOn).toBe(retiredOn);
  });

  it("a rotation without grace leaves only the new secret", () => {
    const client = clientOf([registered(), rotatedNow(0, [notice("secret-1", at)]), secretRetired("secret-1")]);
    expect(client.secrets).toEqual([rotatedSecret()]);
  });

  it.each([
    ["SecretRotated", rotation],
    ["SecretRetired", secretRetired()],
  ])("%s changes neither an absent nor a deleted client", (_, event) => {
    expect(evolve(initialState(), event)).toEqual({ status: "absent" });
    const gone = fold([registered(), deleted()]);
    expect(evolve(gone, event)).toEqual(gone);
  });
});
