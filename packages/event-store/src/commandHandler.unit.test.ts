import { clientApplicationDecider, type ClientApplicationState } from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import { describe, expect, it } from "vitest";
import { foldStream } from "./commandHandler.js";
import { decodeEvent } from "./decodeEvent.js";
import { UnreadableStreamError } from "./errors.js";
import { recorded } from "./testing/eventRecorder.js";

const fromTheFuture = { type: "ClientRenamedInAFutureVersion", data: { ...b.target, displayName: "From the future" } };

describe("decodeEvent", () => {
  it("gives the domain event of a known type, and nothing for a type this build does not know", () => {
    const [known, unknown] = recorded(b.registered(), fromTheFuture);

    expect(decodeEvent(known!, clientApplicationDecider.isEventType)).toEqual({ type: "ClientRegistered", data: known!.data });
    expect(decodeEvent(unknown!, clientApplicationDecider.isEventType)).toBeUndefined();
  });
});

describe("foldStream", () => {
  it("folds the events of known types into the decider's state", () => {
    const state: ClientApplicationState = foldStream(recorded(b.registered(), b.deactivated()), clientApplicationDecider);

    expect(state.status === "registered" && state.client.isActive).toBe(false);
  });

  it("refuses a stream that holds an event of an unknown type: no decision may rest on a state that misses a change", () => {
    const events = recorded(b.registered(), fromTheFuture, b.deactivated());

    expect(() => foldStream(events, clientApplicationDecider)).toThrow(UnreadableStreamError);
    expect(() => foldStream(events, clientApplicationDecider)).toThrow(/ClientRenamedInAFutureVersion/);
  });
});
