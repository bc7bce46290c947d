import type { IncomingMessage, ServerResponse } from "node:http";
import type * as OpenTelemetryApi from "@opentelemetry/api";
import type { Attributes, Context, Span, SpanKind, Tracer } from "@opentelemetry/api";
import type { EventStore } from "@clientapps/event-store";

/**
 * OpenTelemetry tracing, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set. Off, nothing of OpenTelemetry is
 * loaded and every function here is a direct call; on, the SDK is imported then,
 * spans are batched to the OTLP/HTTP endpoint, and the W3C trace context travels
 * with each change: in its events' metadata (`traceparent`), in the bus message's
 * headers, and from there to the audit, so a request can be followed to its
 * activity-stream entry.
 */

type Kind = "server" | "internal" | "producer" | "consumer";

type ActiveTracing = Readonly<{
  tracer: Tracer;
  api: typeof OpenTelemetryApi;
  /** A context whose parent is the span a W3C traceparent names. */
  contextOf: (traceparent: string) => Context;
  traceparentOf: (context: Context) => string | undefined;
}>;

let active: ActiveTracing | undefined;

export type Tracing = Readonly<{ shutdown: () => Promise<void> }>;

export class TracingConfigurationError extends Error {
  readonly code = "invalid_configuration";
}

/**
 * Starts tracing for this process when an OTLP endpoint is configured, honouring
 * the standard variables (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_PROTOCOL`:
 * `http/protobuf`, the default, or `http/json`; `OTEL_BSP_*` for batching). Returns
 * undefined when tracing stays off. `shutdown` sends what is still batched.
 */
export const startTracing = async (serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> => {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw new TracingConfigurationError(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json, not ${protocol}`);
  }
  const [api, core, resources, sdk] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace-node"),
  ]);
  const { OTLPTraceExporter } =
    protocol === "http/json"
      ? await import("@opentelemetry/exporter-trace-otlp-http")
      : await import("@opentelemetry/exporter-trace-otlp-proto");
  const provider = new sdk.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new sdk.BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registers the async-local-storage context manager, so a span started in a request is the parent of what it awaits.
  provider.register();
  const propagator = new core.W3CTraceContextPropagator();
  active = {
    tracer: api.trace.getTracer("clientapps"),
    api,
    contextOf: (traceparent) => propagator.extract(api.ROOT_CONTEXT, { traceparent }, api.defaultTextMapGetter),
    traceparentOf: (context) => {
      const carrier: Record<string, string> = {};
      propagator.inject(context, carrier, api.defaultTextMapSetter);
      return carrier.traceparent;
    },
  };
  return {
    shutdown: async () => {
      active = undefined;
      await provider.shutdown();
    },
  };
};

const spanKind = (api: ActiveTracing["api"], kind: Kind): SpanKind =>
  ({ server: api.SpanKind.SERVER, internal: api.SpanKind.INTERNAL, producer: api.SpanKind.PRODUCER, consumer: api.SpanKind.CONSUMER })[
    kind
  ];

export type SpanOptions = Readonly<{
  kind?: Kind;
  /** A W3C traceparent this work continues (from an event's metadata or a message's headers); the current span otherwise. */
  parent?: string | undefined;
  attributes?: Attributes;
}>;

const recordFailure = (tracing: ActiveTracing, span: Span, error: unknown): void => {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: tracing.api.SpanStatusCode.ERROR });
};

/** Runs `work` in a span: the current one's child, or `parent`'s. Off, it just runs `work`. */
export const inSpan = async <T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> => {
  const tracing = active;
  if (!tracing) return work();
  const parent = options.parent ? tracing.contextOf(options.parent) : tracing.api.context.active();
  const spanOptions = {
    kind: spanKind(tracing.api, options.kind ?? "internal"),
    ...(options.attributes ? { attributes: options.attributes } : {}),
  };
  return tracing.tracer.startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      recordFailure(tracing, span, error);
      throw error;
    } finally {
      span.end();
    }
  });
};

/** The W3C traceparent of the current span, to record with what it writes; undefined when off or outside a span. */
export const currentTraceparent = (): string | undefined => (active ? active.traceparentOf(active.api.context.active()) : undefined);

/** The traceparent recorded in an event's metadata, if any. */
export const traceparentOf = (metadata: Readonly<Record<string, unknown>>): string | undefined =>
  typeof metadata.traceparent === "string" ? metadata.traceparent : undefined;

/** `{ traceparent }` of the current span, to spread into event metadata or message headers; empty when there is none. */
export const traceContext = (): Readonly<{ traceparent?: string }> => {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
};

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * A server span per HTTP request, continuing a caller's `traceparent` header; named
 * after the route once it is known. Only the method, the route and the status are
 * recorded: never a header, a query or a body.
 */
export const traceRequests = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
  const tracing = active;
  if (!tracing) return next();
  const header = request.headers.traceparent;
  const parent = typeof header === "string" ? tracing.contextOf(header) : tracing.api.context.active();
  const method = request.method ?? "GET";
  const span = tracing.tracer.startSpan(
    method,
    { kind: tracing.api.SpanKind.SERVER, attributes: { "http.request.method": method } },
    parent,
  );
  response.once("close", () => {
    const route = (request as RoutedRequest).route?.path;
    if (typeof route === "string") {
      span.updateName(`${method} ${route}`);
      span.setAttribute("http.route", route);
    }
    span.setAttribute("http.response.status_code", response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: tracing.api.SpanStatusCode.ERROR });
    span.end();
  });
  tracing.api.context.with(tracing.api.trace.setSpan(parent, span), next);
};

/** The event store with a span per append; the same store when tracing is off. */
export const traceEventStore = (store: EventStore): EventStore => {
  if (!active) return store;
  return {
    appendToStream: (streamName, events, options) =>
      inSpan("event-store append", { attributes: { "clientapps.stream": streamName, "clientapps.events": events.length } }, () =>
        store.appendToStream(streamName, events, options),
      ),
    readStream: (streamName, options) => store.readStream(streamName, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    ...(store.changeToken && { changeToken: store.changeToken.bind(store) }),
    close: () => store.close(),
  };
};
