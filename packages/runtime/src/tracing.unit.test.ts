import type { EventStore } from "@clientapps/event-store";
import { expect, it } from "vitest";
import { currentTraceparent, inSpan, startTracing, traceContext, traceEventStore, TracingConfigurationError } from "./tracing.js";

it("stays off without an OTLP endpoint: work runs as it is, and nothing carries a trace context", async () => {
  expect(await startTracing("test", {})).toBeUndefined();
  expect(await inSpan("work", {}, async () => 42)).toBe(42);
  await expect(inSpan("work", {}, async () => Promise.reject(new Error("failed")))).rejects.toThrow("failed");
  expect(currentTraceparent()).toBeUndefined();
  expect(traceContext()).toEqual({});
  const store = {} as EventStore;
  expect(traceEventStore(store)).toBe(store);
});

it("refuses an OTLP protocol it cannot speak, rather than exporting nothing", async () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" };
  await expect(startTracing("test", env)).rejects.toThrow(TracingConfigurationError);
  await expect(startTracing("test", env)).rejects.toThrow("http/protobuf or http/json");
});
