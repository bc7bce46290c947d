import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { hasCommand, onCleanup, pinned } from "./processes.js";

/**
 * One load: what each request is, as the body of a Lua `request` function of wrk.
 * In it, `n` counts requests (1, 2, …), `at(list, n)` cycles through a list of `lists`, `$RUN` is unique per run,
 * `headers` holds `headers` below, and it returns `wrk.format(method, path, headers, body)`.
 */
export type Load = Readonly<{
  baseUrl: string;
  headers: Readonly<Record<string, string>>;
  lists?: Readonly<Record<string, readonly string[]>>;
  lua: string;
}>;

export type LoadResult = Readonly<{
  requests: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with a status of 400 or more, and socket errors and timeouts. */
  errors: number;
}>;

export type LoadSettings = Readonly<{ connections: number; durationSeconds: number; workDir: string }>;

export const requireWrk = (): void => {
  if (!hasCommand("wrk")) {
    throw new Error("pnpm bench drives the servers with wrk, which is not installed: apt-get install -y wrk (Debian and Ubuntu)");
  }
};

// LuaJIT reads JSON's escapes for the ASCII text used here (\" \\ \n) the same way.
const luaString = (text: string): string => JSON.stringify(text);

const luaTable = (values: readonly string[]): string => `{${values.map(luaString).join(",")}}`;

const script = (load: Load, run: string): string => `
local n = 0
local headers = {${Object.entries(load.headers)
  .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
  .join(", ")}}
${Object.entries(load.lists ?? {})
  .map(([name, values]) => `local ${name} = ${luaTable(values)}`)
  .join("\n")}
local function at(list, i) return list[((i - 1) % #list) + 1] end

request = function()
  n = n + 1
  ${load.lua.replaceAll("$RUN", run)}
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
`;

let scripts = 0;

/** Runs wrk with one thread on CPU 1 against `load` and reads its summary. */
export const runLoad = async (load: Load, settings: LoadSettings): Promise<LoadResult> => {
  scripts += 1;
  const path = join(settings.workDir, `load-${scripts}.lua`);
  // Unique per run, for loads that create resources with names of their own.
  writeFileSync(path, script(load, `${Date.now().toString(36)}${scripts}`));
  const [command, args] = pinned(1, "wrk", [
    "-t1",
    `-c${settings.connections}`,
    `-d${settings.durationSeconds}s`,
    "--timeout",
    "60s",
    "-s",
    path,
    load.baseUrl,
  ]);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stop = () => void child.kill("SIGKILL");
  onCleanup(stop);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = /^RESULT (.*)$/m.exec(output)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${output}`);
  const summary = JSON.parse(line) as { requests: number; durationUs: number; p50Us: number; p99Us: number; errors: number };
  return {
    requests: summary.requests,
    rate: summary.requests / (summary.durationUs / 1e6),
    p50Ms: summary.p50Us / 1000,
    p99Ms: summary.p99Us / 1000,
    errors: summary.errors,
  };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export type MeasuredLoad = LoadResult & Readonly<{ runs: readonly LoadResult[] }>;

/** `runs` runs of the load; each figure is the median over the runs, errors are summed. */
export const measureLoad = async (
  load: Load,
  settings: LoadSettings & Readonly<{ runs: number }>,
  settle: () => Promise<void> = async () => {},
  warmUp = false,
): Promise<MeasuredLoad> => {
  if (warmUp) {
    await settle();
    await runLoad(load, settings);
  }
  const runs: LoadResult[] = [];
  for (let run = 0; run < settings.runs; run += 1) {
    await settle();
    runs.push(await runLoad(load, settings));
  }
  return {
    requests: median(runs.map((run) => run.requests)),
    rate: median(runs.map((run) => run.rate)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    runs,
  };
};

export { median };
