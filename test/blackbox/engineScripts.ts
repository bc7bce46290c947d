import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const infra = join(dirname(fileURLToPath(import.meta.url)), "../../infra");

/** Runs one of the infra scripts (start/stop of Kafka or FerretDB) and returns what it printed on stdout. */
export const engineScript = (engine: "kafka" | "ferretdb", script: "start" | "stop", env: Record<string, string>, ...args: string[]): string => {
  const result = spawnSync("bash", [join(infra, engine, `${script}.sh`), ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`${engine}/${script}.sh failed (${result.status}):\n${result.stderr}`);
  return result.stdout.trim();
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
