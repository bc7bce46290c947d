import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const services = join(dirname(fileURLToPath(import.meta.url)), "../../services");

/** The entry `pnpm start` runs, as built by turbo before this suite. */
export const serviceEntry = join(services, "standalone/dist/main.js");

/** The entry of one service of the distributed mode. */
export const distributedEntry = (service: "api" | "projector" | "relay" | "audit" | "scheduler"): string =>
  join(services, service, "dist/main.js");

export type ServiceProcess = Readonly<{
  baseUrl: string;
  /** The bootstrap admin token, when this start printed one. */
  announcedToken: string | undefined;
  /** Everything the process wrote, both streams. */
  output: () => string;
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
}>;

const tokenPattern = /^\s+(ca_admin_[0-9A-Za-z]+)\s*$/;

/** Starts the service on a free port and resolves once it listens. */
export const startService = async (dataDir: string, env: Record<string, string> = {}, entry = serviceEntry): Promise<ServiceProcess> => {
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
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      chunks.push(`${line}\n`);
      announcedToken ??= tokenPattern.exec(line)?.[1];
      if (line.startsWith("{")) {
        const logged = JSON.parse(line) as { msg?: string; port?: number };
        // The api says "listening"; a service without an API of its own, where its operations endpoints are.
        if ((logged.msg === "listening" || logged.msg === "operations endpoints listening") && logged.port) resolve(logged.port);
      }
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
