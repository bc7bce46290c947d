import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

// node-oidc-provider with its in-memory adapter and open RFC 7591 registration: the
// peer for "create a confidential client", which is all it offers of our operations.
const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  const provider = new Provider(`http://127.0.0.1:${port}`, { features: { registration: { enabled: true } } });
  const handle = provider.callback();
  server.on("request", (request, response) => void handle(request, response));
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
