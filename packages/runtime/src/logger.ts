import { pino, type Logger } from "pino";

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

export const createLogger = (
  options: Readonly<{ level: string; name?: string }>,
  destination: pino.DestinationStream = pino.destination({ sync: true }),
): Logger =>
  pino(
    {
      level: options.level,
      name: options.name ?? "clientapps",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
