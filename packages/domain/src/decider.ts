/**
 * A decider (Chassaing): `decide` turns a command and the current state into
 * events or a rejection, `evolve` folds events into state. Both are pure.
 */
export type Decider<Command, Event, State> = Readonly<{
  decide: (command: Command, state: State) => Decision<Event>;
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
  /** Whether `evolve` knows an event type; a stream holding another type cannot be folded faithfully. */
  isEventType: (type: string) => boolean;
  /**
   * How long one stream may grow. Every decision folds the stream, so its length
   * is the cost of each command and credential check on it: a decision that would
   * take it past `maxEvents` is appended only when every event it makes is one that
   * `closesDoors` (takes something away: a revocation, a deactivation, a deletion).
   */
  streamLimit?: StreamLimit<Event>;
}>;

export type StreamLimit<Event> = Readonly<{ maxEvents: number; closesDoors: (event: Event) => boolean }>;

/** The rejection of a command on a stream that reached its limit. */
export const streamLimitReached = "history_limit_reached";

export type FieldViolation = Readonly<{
  /** JSON-pointer-like path of the offending field, e.g. `redirectUris/0`. */
  field: string;
  code: string;
  message: string;
}>;

export type Rejection<Code extends string = string> = Readonly<{
  code: Code;
  detail: string;
  violations: readonly FieldViolation[];
}>;

export type Decision<Event> =
  Readonly<{ kind: "accepted"; events: readonly Event[] }> | Readonly<{ kind: "rejected"; rejection: Rejection }>;

export const accept = <Event>(...events: Event[]): Decision<Event> => ({ kind: "accepted", events });

export const reject = (code: string, detail: string, violations: readonly FieldViolation[] = []): Decision<never> => ({
  kind: "rejected",
  rejection: { code, detail, violations },
});

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
