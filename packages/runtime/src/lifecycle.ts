import type { Logger } from "./logger.js";

/**
 * Stops the process gracefully on SIGTERM or SIGINT (once), exiting 0 when the
 * stop completes and 1 when it fails.
 */
export const stopOnSignals = (stop: () => Promise<void>, logger: Logger): void => {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stop().then(
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

/** Runs a process's main, printing a configuration error plainly (no stack) and exiting 1 on any failure. */
export const runMain = (main: () => Promise<void>): void => {
  main().catch((error: unknown) => {
    const plain = error instanceof Error && "code" in error && error.code === "invalid_configuration";
    process.stderr.write(`${plain ? (error as Error).message : String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  });
};
