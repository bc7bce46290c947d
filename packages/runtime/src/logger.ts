import { redactCredentials } from "@clientapps/credentials";
import { pino, type Logger } from "pino";
import { build as prettyStream } from "pino-pretty";

export type { Logger } from "pino";

/**
 * Structured JSON logs. Nothing we log should hold a credential; the redaction
 * list is the second line of defence for fields that could, should one slip in.
 */
export const redactedPaths = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "registration_access_token",
  "*.registration_access_token",
  "hash",
  "*.hash",
];

/**
 * Where log lines go: JSON lines, except on a terminal, where a person reads them
 * and gets them pretty-printed. Both write synchronously, so the lines before a
 * crash are not lost in a buffer.
 */
export const logDestination = (output: Readonly<{ fd: number; isTTY?: boolean | undefined }> = process.stdout): pino.DestinationStream =>
  output.isTTY
    ? prettyStream({ destination: output.fd, sync: true, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" })
    : pino.destination({ dest: output.fd, sync: true });

export const createLogger = (
  options: Readonly<{ level: string; name?: string }>,
  destination: pino.DestinationStream = logDestination(),
): Logger =>
  pino(
    {
      level: options.level,
      name: options.name ?? "clientapps",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
      // Field names above catch what we know may hold a secret; this catches a credential wherever it ended up (a path, an error message).
      hooks: { streamWrite: redactCredentials },
    },
    destination,
  );
