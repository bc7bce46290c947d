import { expect, it } from "vitest";
import type { MessageBus, MessageHandler } from "./messageBus.js";
import { namespacedBus } from "./namespacedBus.js";

it("prefixes topics and groups on the way in and takes the prefix off on the way out", async () => {
  const published: string[] = [];
  let consumed: { groupId: string; topics: readonly string[]; handler?: MessageHandler } = { groupId: "", topics: [] };
  const inner: MessageBus = {
    publish: async (topic) => void published.push(topic),
    consume: async (options, handler) => {
      consumed = { ...options, handler };
      return { stop: async () => {} };
    },
    ping: async () => {},
    close: async () => {},
  };
  const bus = namespacedBus(inner, "staging");
  await bus.publish("clientapps.events", [{ key: "k", value: {} }]);
  const seen: string[] = [];
  await bus.consume({ groupId: "audit", topics: ["clientapps.events"] }, async (message) => void seen.push(message.topic));
  await consumed.handler?.({
    topic: "staging.clientapps.events",
    partition: 0,
    offset: 0,
    key: "k",
    value: {},
    headers: {},
  });
  expect(published).toEqual(["staging.clientapps.events"]);
  expect(consumed).toMatchObject({ groupId: "staging.audit", topics: ["staging.clientapps.events"] });
  expect(seen).toEqual(["clientapps.events"]);
  expect(namespacedBus(inner, "")).toBe(inner);
});
