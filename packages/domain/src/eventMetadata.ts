/**
 * Who or what made a change. `credential` is any of this service's own bearer
 * credentials (admin token, API key); `registrationToken` a client managing
 * itself (RFC 7592); `system` the server acting on its own (the scheduler).
 */
export type Actor = Readonly<{ type: string; id: string }>;

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
