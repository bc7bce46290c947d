import type { DeliveredMessage, JsonValue, OutgoingMessage } from "@clientapps/message-bus";
import type { IHeaders, KafkaMessage, Message } from "kafkajs";

/** What kafkajs sends for one message of the port: the key, the value as JSON, headers as strings. */
export const encodeMessage = ({ key, value, headers }: OutgoingMessage): Message => ({
  key,
  value: JSON.stringify(value),
  headers: { ...headers },
});

const headerText = (value: IHeaders[string]): string | undefined => {
  // A header repeated by another producer arrives as a list; its last value wins, as with
  // Java's Headers.lastHeader. A header without a value has nothing to carry over.
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === undefined || last === null ? undefined : last.toString();
};

const decodeHeaders = (headers: IHeaders | undefined): Record<string, string> => {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) decoded[name] = text;
  }
  return decoded;
};

const decodeValue = (value: Buffer | null): DeliveredMessage["value"] => {
  const parsed: unknown = value === null ? null : JSON.parse(value.toString());
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError("The message value is not a JSON object.");
  }
  return parsed as { readonly [key: string]: JsonValue };
};

/** The port's view of a record; throws if its value is not a JSON object, as this bus never publishes. */
export const decodeMessage = (topic: string, partition: number, message: KafkaMessage): DeliveredMessage => ({
  topic,
  partition,
  offset: Number(message.offset),
  key: message.key?.toString() ?? "",
  value: decodeValue(message.value),
  headers: decodeHeaders(message.headers),
});
