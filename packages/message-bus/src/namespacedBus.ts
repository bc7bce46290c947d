import type { MessageBus } from "./messageBus.js";

/**
 * A view of a bus in which every topic and consumer group carries a prefix,
 * so several deployments (or test runs) can share one Kafka cluster apart.
 */
export const namespacedBus = (bus: MessageBus, namespace: string): MessageBus => {
  if (namespace === "") return bus;
  const named = (name: string) => `${namespace}.${name}`;
  return {
    publish: (topic, messages) => bus.publish(named(topic), messages),
    consume: (options, handler) =>
      bus.consume({ groupId: named(options.groupId), topics: options.topics.map(named) }, (message) =>
        handler({ ...message, topic: message.topic.slice(namespace.length + 1) }),
      ),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
};
