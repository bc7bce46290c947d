import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import express from "express";

// The baseline: a bare express 5 server answering every "get one" with the same JSON
// document the service answers, held in memory. What the service spends beyond this
// is its own work (authentication, logging, the read path).
const document = JSON.parse(readFileSync(process.env.BENCH_DOCUMENT ?? "", "utf8")) as unknown;

const app = express();
app.get("/api/v1/clientapplications/:clientId", (_request, response) => {
  response.json(document);
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
