import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the run must undo, newest first: processes it started and folders it made. */
const cleanups: (() => Promise<void> | void)[] = [];

export const onCleanup = (cleanup: () => Promise<void> | void): void => {
  cleanups.push(cleanup);
};

export const cleanUp = async (): Promise<void> => {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${String(error)}\n`);
    }
  }
};

/** A temporary folder, removed when the run ends however it ends. */
export const tempDir = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `clientapps-bench-${name}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

export const hasCommand = (command: string): boolean => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

const canPin = hasCommand("taskset");

/** Whether servers and the load generator each get a CPU of their own. */
export const pinning = (): string => (canPin ? "server on CPU 0, wrk on CPU 1 (taskset)" : "not pinned: taskset is missing");

/** The command line, prefixed with `taskset -c <cpu>` where taskset exists. */
export const pinned = (cpu: number, command: string, args: readonly string[]): [string, string[]] =>
  canPin ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, [...args]];

export type Started = Readonly<{
  pid: number;
  /** Everything the process wrote so far, both streams. */
  log: () => string;
  exited: () => boolean;
  /** Signals the whole process group, waits up to `graceMs`, then kills it. */
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<void>;
}>;

const signalGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

/**
 * Starts a process as the leader of its own process group (so a server's children,
 * such as Keycloak's JVM under its shell script, stop with it), its output in a file
 * of `logDir`, and registers its stop with the run's cleanup.
 */
export const startProcess = (
  name: string,
  command: string,
  args: readonly string[],
  options: Readonly<{ env: NodeJS.ProcessEnv; logDir: string; cwd?: string }>,
): Started => {
  const logPath = join(options.logDir, `${name}.log`);
  const fd = openSync(logPath, "a");
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  let exited = false;
  const exit = once(child, "exit").then(() => {
    exited = true;
  });
  const stop = async (signal: NodeJS.Signals = "SIGTERM", graceMs = 15_000): Promise<void> => {
    if (exited) return;
    signalGroup(child, signal);
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
    await exit;
    clearTimeout(timer);
    // The group may outlive its leader (a JVM under a shell script).
    signalGroup(child, "SIGKILL");
  };
  onCleanup(() => stop("SIGTERM", 5_000));
  if (child.pid === undefined) throw new Error(`${command} could not be started`);
  return { pid: child.pid, log: () => readFileSync(logPath, "utf8"), exited: () => exited, stop };
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` gives a value, the process exits, or the time is up. */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: Readonly<{ timeoutMs: number; process?: Started; intervalMs?: number }>,
): Promise<T> => {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.process?.exited()) throw new Error(`${what}: the process exited:\n${options.process.log().slice(-4000)}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(options.intervalMs ?? 100);
  }
  throw new Error(`${what}: not within ${options.timeoutMs} ms${options.process ? `:\n${options.process.log().slice(-4000)}` : ""}`);
};

/** Resident memory of a process in MB, from /proc (Linux). */
export const rssMegabytes = (pid: number): number | undefined => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};
