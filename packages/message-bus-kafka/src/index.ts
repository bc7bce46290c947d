export { connectKafkaMessageBus, createKafkaMessageBus, type KafkaMessageBusOptions } from "./kafkaMessageBus.js";
