#!/usr/bin/env node
import { announceOnConsole } from "@clientapps/api";
import { generateCredential } from "@clientapps/credentials";
import { createBaseContainer, loadConfig, runMain, stopOnSignals, Tokens } from "@clientapps/runtime";
import { startStandalone } from "./standalone.js";

const usage = `Usage: clientapps [--rebuild-read-models] | clientapps admin-token

  (no argument)           run every service in one process on the embedded engines
  --rebuild-read-models   empty the read models and rebuild them from the events first
  admin-token             print a new admin token to set as CLIENTAPPS_ADMIN_TOKEN
`;

runMain(async () => {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return void process.stdout.write(usage);
  if (args[0] === "admin-token") return void process.stdout.write(`${generateCredential("adminToken")}\n`);
  const unknown = args.filter((arg) => arg !== "--rebuild-read-models");
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument: ${unknown.join(" ")}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const container = createBaseContainer(loadConfig(), "clientapps");
  const standalone = await startStandalone(container, {
    rebuildReadModels: args.includes("--rebuild-read-models"),
    announceAdminToken: announceOnConsole,
  });
  stopOnSignals(standalone.stop, container.resolve(Tokens.Logger));
});
