import { connect } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCaller } from "./testing/clientApplicationRequests.js";
import { startTestApi, type TestApi } from "./testing/testApi.js";
import { listenApi } from "./server.js";

/** What a raw connection receives until the server closes it, and after how long. */
const exchange = (port: number, talk: (write: (text: string) => void) => void): Promise<Readonly<{ received: string; afterMs: number }>> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => resolve({ received, afterMs: Date.now() - started }));
    socket.on("connect", () => talk((text) => socket.writable && socket.write(text)));
  });

/** A client that sends slowly can hold a connection no longer than the configured timeouts. */
describe("the API server's timeouts", () => {
  let t: TestApi;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    t = await startTestApi();
    server = await listenApi(t.api.app, { host: "127.0.0.1", port: 0, timeouts: { requestMs: 400, headersMs: 300, keepAliveMs: 200 } });
    const address = server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  it("cuts off a body trickled slower than the request timeout with 408", async () => {
    const caller = await newCaller(t);
    const body = JSON.stringify({ displayName: "Slow loris", redirectUris: ["https://app.example.com/cb"] });
    let timer: NodeJS.Timeout | undefined;

    const { received, afterMs } = await exchange(port, (write) => {
      write(
        `POST /api/v1/clientapplications HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${caller.auth}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      let sent = 0;
      timer = setInterval(() => write(body.charAt(sent++)), 100);
    });
    clearInterval(timer);

    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(body.length * 100);
  });

  it("cuts off headers trickled slower than the headers timeout", async () => {
    let timer: NodeJS.Timeout | undefined;

    const { received } = await exchange(port, (write) => {
      write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      timer = setInterval(() => write("X-Slow: a\r\n"), 100);
    });
    clearInterval(timer);

    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes an idle keep-alive connection after the keep-alive timeout", async () => {
    const { received, afterMs } = await exchange(port, (write) => write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(afterMs).toBeLessThan(5000);
  });
});
