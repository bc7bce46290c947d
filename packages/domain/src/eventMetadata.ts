import { displayText, hasDeceptiveCharacters } from "./clientApplication/text.js";

/**
 * Who made a change, as recorded at the time of the change. `user` is a person
 * signed in through the platform's identity provider (`id` is the token's `sub`,
 * with the display name and e-mail it carried, if any); `apiKey`, `adminToken` and
 * `registrationToken` are this service's own credentials, by their public id (a
 * registration token by the client it manages, RFC 7592); `platformOperator` runs
 * the whole deployment; `system` is the server acting on its own (the scheduler);
 * `anonymous` an open registration, whose source address the metadata names.
 * `unknown` is only read, never written: an event recorded before its actor was.
 * Never a token, a hash or a secret.
 */
export type UserActor = Readonly<{ type: "user"; id: string; name: string | null; email: string | null }>;

export type Actor =
  | UserActor
  | Readonly<{ type: "apiKey" | "adminToken" | "registrationToken" | "platformOperator" | "system" | "anonymous" | "unknown"; id: string }>;

export type ActorType = Actor["type"];

/** Every actor type, checked complete by the compiler. */
export const actorTypes = Object.keys({
  user: true,
  apiKey: true,
  adminToken: true,
  registrationToken: true,
  platformOperator: true,
  system: true,
  anonymous: true,
  unknown: true,
} satisfies Record<ActorType, true>) as readonly ActorType[];

/** Bounds of what an actor records; claims longer than these are cut (names, e-mails) or refused (the subject). */
export const actorLimits = { id: 255, name: 100, email: 254 } as const;

/**
 * What events recorded before actors had types hold: `{type: "credential", id}`,
 * told apart by the id's shape. Any other value reads as `unknown`.
 */
export const upgradeLegacyActor = (id: string): Actor => {
  if (id.startsWith("key_")) return { type: "apiKey", id };
  if (id.startsWith("registration:")) return { type: "registrationToken", id: id.slice("registration:".length) };
  if (id.startsWith("anonymous:")) return { type: "anonymous", id: "anonymous" };
  return { type: "adminToken", id };
};

/**
 * What is recorded with every event, beside its data: when, by whom, in which
 * workspace, for which request, from where. The event id is the event's own
 * (the store keeps it next to the metadata). Never a token, a hash or a secret.
 */
export type EventMetadata = Readonly<{
  occurredAt: string;
  actor: Actor;
  workspaceId: string;
  requestId: string;
  /** Ties together every event of one business transaction (a caller's `X-Correlation-Id`, or the request id). */
  correlationId: string;
  /** The event or request that caused this one, when it was not a caller's request. */
  causationId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  /** The W3C trace context of the request that made the change, when tracing is on; never a credential. */
  traceparent?: string;
}>;

/**
 * A person as the identity provider's token names them. The subject is the id and must
 * be a plain identifier (no deceptive character, not too long): undefined otherwise. The
 * name and e-mail are display text, cleaned and cut; an e-mail without `@` is left out.
 */
export const userActor = (
  claims: Readonly<{ sub: string; name?: string | undefined; email?: string | undefined }>,
): UserActor | undefined => {
  const { sub } = claims;
  if (sub === "" || sub.length > actorLimits.id || hasDeceptiveCharacters(sub)) return undefined;
  const email = claims.email === undefined ? null : displayText(claims.email, actorLimits.email);
  return {
    type: "user",
    id: sub,
    name: claims.name === undefined ? null : displayText(claims.name, actorLimits.name),
    email: email !== null && /^[^\s@]+@[^\s@]+$/u.test(email) ? email : null,
  };
};
