import { describe, it } from "vitest";
import { recorded } from "@clientapps/event-store/testing";
import { ProjectionSpecification } from "@clientapps/projections/testing";
import { deleted, registered, target, updated } from "../testing/clientApplicationEvents.js";
import {
  applicationNumberCountersCollection,
  applicationNumbersCollection,
  applicationNumbersProjection,
  applicationNumberViewId,
  type ApplicationNumberView,
} from "./applicationNumbersProjection.js";

const numbers = ProjectionSpecification.for<ApplicationNumberView>(applicationNumbersProjection, applicationNumbersCollection);
const counters = ProjectionSpecification.for(applicationNumbersProjection, applicationNumberCountersCollection);

const other = { workspaceId: "other-workspace", clientId: "elsewhere" };
const second = { ...target, clientId: "second" };
const history = () =>
  recorded(
    registered(),
    updated({ displayName: "Renamed" }, { displayName: target.clientId }),
    registered({ ...other }),
    deleted(),
    registered({ ...second }),
  );

describe("the application-numbers projection", () => {
  it("numbers each workspace's clients from 1 in the order they registered, deleted ones keeping theirs", () =>
    numbers.given(history()).then({
      [applicationNumberViewId(target.workspaceId, target.clientId)]: { revision: 0, document: { ...target, number: 1 } },
      [applicationNumberViewId(other.workspaceId, other.clientId)]: { revision: 0, document: { ...other, number: 1 } },
      [applicationNumberViewId(second.workspaceId, second.clientId)]: { revision: 0, document: { ...second, number: 2 } },
    }));

  it("keeps each workspace's last number", () =>
    counters.given(history()).then({
      [target.workspaceId]: { revision: 2, document: { workspaceId: target.workspaceId, last: 2 } },
      [other.workspaceId]: { revision: 1, document: { workspaceId: other.workspaceId, last: 1 } },
    }));

  it("applied twice changes nothing", () => numbers.given(history()).thenAppliedTwiceIsTheSame());

  it("applied twice leaves the counters as they were", () => counters.given(history()).thenAppliedTwiceIsTheSame());
});
