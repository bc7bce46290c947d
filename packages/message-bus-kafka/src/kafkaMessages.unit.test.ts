import type { IHeaders, KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage } from "./kafkaMessages.js";

/** A record as kafkajs hands it to a consumer. */
const record = (fields: { key?: Buffer | null; value?: Buffer | null; headers?: IHeaders } = {}): KafkaMessage => ({
  key: Buffer.from("key-0"),
  value: Buffer.from('{"seq":0}'),
  timestamp: "0",
  attributes: 0,
  offset: "41",
  headers: {},
  ...fields,
});

describe("Kafka message codec", () => {
  it("round-trips a message of the port", () => {
    const message = { key: "key-0", value: { seq: 0, nested: [1, "two", null] }, headers: { "trace-id": "t-1", empty: "" } };
    const { key, value, headers } = encodeMessage(message);

    const decoded = decodeMessage(
      "orders",
      3,
      record({
        key: Buffer.from(String(key)),
        value: Buffer.from(String(value)),
        headers: Object.fromEntries(Object.entries(headers ?? {}).map(([name, text]) => [name, Buffer.from(String(text))])),
      }),
    );

    expect(decoded).toEqual({ topic: "orders", partition: 3, offset: 41, ...message });
  });

  it("reads what other producers may write: a repeated header's last value, no header value, no key", () => {
    const decoded = decodeMessage(
      "orders",
      0,
      record({
        key: null,
        headers: { repeated: [Buffer.from("first"), Buffer.from("last")], none: undefined, text: "as a string" },
      }),
    );

    expect(decoded.key).toBe("");
    expect(decoded.headers).toEqual({ repeated: "last", text: "as a string" });
  });

  it.each([
    ["no value (a tombstone)", null],
    ["a value that is not JSON", Buffer.from("not json")],
    ["a JSON value that is not an object", Buffer.from("[1,2]")],
  ])("refuses %s, which this bus never publishes", (_what, value) => {
    expect(() => decodeMessage("orders", 0, record({ value }))).toThrow();
  });
});
