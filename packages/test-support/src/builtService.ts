import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

export type BuiltService = Readonly<{
  baseUrl: string;
  /** The bootstrap admin token, when this start printed one. */
  announcedToken: string | undefined;
  /** Everything the process wrote, both streams. */
  output: () => string;
  /** Sends the signal and waits for the process to exit; its exit code (null when killed by the signal). */
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
}>;

const tokenPattern = /^\s+(ca_admin_[0-9A-Za-z]+)\s*$/;

/**
 * Starts a built entry of the service (`services/standalone/dist/main.js`, or one
 * service of the distributed mode) as an operator would, on a free port and with
 * only the environment given, and resolves once it listens: the api's "listening"
 * line, or for a service without an API, where its operations endpoints are.
 */
export const startBuiltService = async (
  entry: string,
  dataDir: string,
  env: Readonly<Record<string, string>> = {},
  /** Told each line of standard output as it comes, before the process listens too. */
  onLine?: (line: string) => void,
): Promise<BuiltService> => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (pnpm test builds it)`);
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dataDir,
      PORT: "0",
      OPS_PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  let announcedToken: string | undefined;

  const port = await new Promise<number>((resolve, reject) => {
    if (!child.stdout) return reject(new Error("the service has no stdout"));
    createInterface({ input: child.stdout }).on("line", (line) => {
      chunks.push(`${line}\n`);
      onLine?.(line);
      announcedToken ??= tokenPattern.exec(line)?.[1];
      if (!line.startsWith("{")) return;
      const logged = JSON.parse(line) as { msg?: string; port?: number };
      if ((logged.msg === "listening" || logged.msg === "operations endpoints listening") && logged.port) resolve(logged.port);
    });
    child.once("exit", (code) => reject(new Error(`the service exited with ${code} before listening:\n${chunks.join("")}`)));
  });

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    announcedToken,
    output: () => chunks.join(""),
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, "exit");
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
};
