#!/usr/bin/env node
import { generateCredential } from "@clientapps/credentials";
import { ConfigurationError, loadConfig } from "@clientapps/runtime";
import { createContainer, Tokens } from "./container.js";
import { startStandalone } from "./standalone.js";

const usage = `Usage: clientapps [--rebuild-read-models] | clientapps admin-token

  (no argument)           run the api and the projector on the embedded engines
  --rebuild-read-models   empty the read models and rebuild them from the events first
  admin-token             print a new admin token to set as CLIENTAPPS_ADMIN_TOKEN
`;

const main = async (args: readonly string[]): Promise<void> => {
  if (args.includes("--help") || args.includes("-h")) return void process.stdout.write(usage);
  if (args[0] === "admin-token") return void process.stdout.write(`${generateCredential("adminToken")}\n`);
  const unknown = args.filter((arg) => arg !== "--rebuild-read-models");
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument: ${unknown.join(" ")}\n${usage}`);
    process.exitCode = 2;
    return;
  }

  const container = createContainer(loadConfig());
  const logger = container.resolve(Tokens.Logger);
  const standalone = await startStandalone(container, {
    rebuildReadModels: args.includes("--rebuild-read-models"),
    // The one deliberate display of a secret: on the console, once, never in a log line.
    announceAdminToken: (token, workspaceId) =>
      process.stdout.write(
        `\nBootstrap admin token for workspace '${workspaceId}' (shown only now; store it safely):\n\n    ${token}\n\n`,
      ),
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    standalone.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
};

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigurationError ? error.message : String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
