import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const infra = join(dirname(fileURLToPath(import.meta.url)), "../../infra");

const run = promisify(execFile);

/**
 * Runs one of the infra scripts (start/stop of Kafka or FerretDB) and returns what it printed
 * on stdout. Asynchronous on purpose: blocking the test's event loop for the seconds a broker
 * takes to start would leave its HTTP connections' closes unseen, and the next request would
 * go out on a socket the server had already closed.
 */
export const engineScript = async (
  engine: "kafka" | "ferretdb",
  script: "start" | "stop",
  env: Record<string, string>,
  ...args: string[]
): Promise<string> => {
  try {
    const { stdout } = await run("bash", [join(infra, engine, `${script}.sh`), ...args], {
      env: { ...process.env, ...env },
      timeout: 180_000,
    });
    return stdout.trim();
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    throw new Error(`${engine}/${script}.sh failed (${String(failed.code)}):\n${failed.stderr ?? ""}`);
  }
};

/** The value of a `NAME=value` line a start script printed. */
export const printed = (output: string, name: string): string => {
  const line = output.split("\n").find((candidate) => candidate.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name}= in:\n${output}`);
  return line.slice(name.length + 1);
};

/** Ports for an engine of this test process only, away from the defaults and from other runs. */
export const privatePorts = (base: number): readonly [number, number] => {
  const port = base + (process.pid % 2000) * 2;
  return [port, port + 1];
};
