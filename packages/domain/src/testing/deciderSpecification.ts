import { expect } from "vitest";
import type { Decider } from "../decider.js";

/**
 * Given/when/then for deciders:
 * `spec.given([events]).when(command).then([events])` or `.thenRejects(code)`.
 */
export const DeciderSpecification = {
  for: <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
    given: (events: readonly Event[]) => ({
      when: (command: Command) => {
        const decide = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
        return {
          then: (expected: readonly Event[]): void => {
            const decision = decide();
            expect(decision.kind === "rejected" ? decision.rejection : undefined).toBeUndefined();
            if (decision.kind === "accepted") expect(decision.events).toEqual(expected);
          },
          /** Accepted, whatever the events: for tests about what is allowed, not what it records. */
          thenAccepts: (): void => {
            const decision = decide();
            expect(decision.kind === "rejected" ? decision.rejection : undefined).toBeUndefined();
          },
          thenNothingHappens: (): void => {
            expect(decide()).toEqual({ kind: "accepted", events: [] });
          },
          thenRejects: (code: string, violations?: readonly Readonly<{ field: string; code: string }>[]): void => {
            const decision = decide();
            expect(decision.kind).toBe("rejected");
            if (decision.kind !== "rejected") return;
            expect(decision.rejection.code).toBe(code);
            if (violations) {
              expect(decision.rejection.violations.map(({ field, code }) => ({ field, code }))).toEqual(violations);
            }
          },
        };
      },
    }),
  }),
};
