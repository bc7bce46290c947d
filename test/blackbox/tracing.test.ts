import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type ServiceProcess } from "./serviceProcess.js";

/** A span as OTLP/JSON carries it: ids in hex, attributes as typed values. */
type ExportedSpan = Readonly<{
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: readonly Readonly<{ key: string; value: Readonly<Record<string, unknown>> }>[];
}>;

type ExportRequest = Readonly<{
  resourceSpans?: readonly Readonly<{ scopeSpans?: readonly Readonly<{ spans?: readonly ExportedSpan[] }>[] }>[];
}>;

/** An OTLP/HTTP receiver on loopback: what a collector would get, as JSON. */
const startReceiver = async (): Promise<{ server: Server; url: string; spans: ExportedSpan[]; bodies: string[]; protobufs: Buffer[] }> => {
  const spans: ExportedSpan[] = [];
  const bodies: string[] = [];
  const protobufs: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (request.method === "POST" && request.url === "/v1/traces" && request.headers["content-type"] === "application/json") {
        bodies.push(body);
        const exported = JSON.parse(body) as ExportRequest;
        for (const resource of exported.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
        response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      } else if (
        request.method === "POST" &&
        request.url === "/v1/traces" &&
        request.headers["content-type"] === "application/x-protobuf"
      ) {
        protobufs.push(Buffer.concat(chunks));
        // An empty ExportTraceServiceResponse.
        response.writeHead(200, { "Content-Type": "application/x-protobuf" }).end();
      } else {
        response.writeHead(404).end();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, bodies, protobufs };
};

const waitFor = async <T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = probe();
    if (value !== undefined) return value;
  }
  return probe();
};

describe("OpenTelemetry tracing, with OTEL_EXPORTER_OTLP_ENDPOINT set", () => {
  let dir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let service: ServiceProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "clientapps-tracing-"));
    receiver = await startReceiver();
    service = await startService(join(dir, "data"), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
    });
  });

  afterAll(async () => {
    await service?.kill("SIGTERM");
    receiver?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("follows one create from its request through the append, the projections and the relay to the audit", async () => {
    const created = await fetch(`${service.baseUrl}/api/v1/clientapplications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${service.announcedToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ clientId: "traced", displayName: "Traced", redirectUris: ["https://app.example.com/cb"] }),
    });
    expect(created.status).toBe(201);
    const { clientSecret } = (await created.json()) as { clientSecret: string };

    const request = await waitFor(() => receiver.spans.find((span) => span.name === "POST /api/v1/clientapplications"), 15_000);
    expect(request, "the request's span").toBeDefined();
    const traceId = request?.traceId;
    const expected = ["event-store append", "projection clientApplications", "relay publish", "audit consume"];
    const trace = await waitFor(() => {
      const names = receiver.spans.filter((span) => span.traceId === traceId).map((span) => span.name);
      return expected.every((name) => names.includes(name)) ? names : undefined;
    }, 15_000);
    expect(trace, `spans of trace ${traceId}: ${receiver.spans.map((span) => `${span.traceId} ${span.name}`).join(", ")}`).toBeDefined();

    const byName = (name: string) => receiver.spans.find((span) => span.traceId === traceId && span.name === name);
    // The append runs inside the request; the audit continues the relay's publish, as its message's headers said.
    expect(byName("event-store append")?.parentSpanId).toBe(request?.spanId);
    expect(byName("audit consume")?.parentSpanId).toBe(byName("relay publish")?.spanId);
    // Spans name routes, never the values a request carried.
    expect(receiver.bodies.some((body) => body.includes(clientSecret))).toBe(false);
    expect(receiver.bodies.some((body) => body.includes(service.announcedToken ?? "no token"))).toBe(false);
  });
});

describe("OpenTelemetry tracing with the default protocol", () => {
  it("exports OTLP as protobuf over HTTP when OTEL_EXPORTER_OTLP_PROTOCOL is not set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clientapps-tracing-proto-"));
    const receiver = await startReceiver();
    const service = await startService(join(dir, "data"), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" });
    try {
      expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
      // The span's name travels as a protobuf string: its bytes appear as they are.
      const exported = await waitFor(() => receiver.protobufs.find((body) => body.includes("GET /healthz")), 15_000);
      expect(exported, "a protobuf export naming the request's route").toBeDefined();
      expect(receiver.bodies).toEqual([]);
    } finally {
      await service.kill("SIGTERM");
      receiver.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
