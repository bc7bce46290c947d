import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import ts from "typescript";

const sourceRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Writes the package's runtime sources as JavaScript under `directory`: a worker thread runs
 * plain JavaScript, and vitest only transforms what the test process itself imports.
 */
const transpileSources = async (directory: string): Promise<string> => {
  const files = (await readdir(sourceRoot, { recursive: true })).filter(
    (file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.split(/[\\/]/).includes("testing"),
  );
  for (const file of files) {
    const source = await readFile(join(sourceRoot, file), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = join(directory, file.replace(/\.ts$/, ".js"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(join(directory, "package.json"), JSON.stringify({ type: "module" }));
  // The package's own dependencies (built workspace packages among them), where its imports look for them.
  await symlink(join(sourceRoot, "..", "node_modules"), join(directory, "node_modules"), "dir");
  return pathToFileURL(join(directory, "embedded", "index.js")).href;
};

// A CommonJS script (eval workers are), so it loads the ESM adapter with import().
// The writers meet at a barrier first, so that their publishes overlap.
const writerScript = `
  const { workerData } = require("node:worker_threads");
  const Database = require(workerData.driver);
  const ready = new Int32Array(workerData.barrier);
  (async () => {
    const { createEmbeddedMessageBus } = await import(workerData.adapter);
    const db = new Database(workerData.file);
    db.pragma("busy_timeout = 5000");
    const bus = createEmbeddedMessageBus(db);
    Atomics.add(ready, 0, 1);
    Atomics.notify(ready, 0);
    for (let seen; (seen = Atomics.load(ready, 0)) < workerData.writers; ) Atomics.wait(ready, 0, seen, 1000);
    for (let seq = 0; seq < workerData.count; seq += 1) {
      await bus.publish(workerData.topic, [{ key: workerData.key, value: { writer: workerData.writer, seq } }]);
    }
    await bus.close();
    db.close();
  })();
`;

const finished = (worker: Worker): Promise<void> =>
  new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a writer thread exited with ${code}`))));
  });

export type ThreadPublishOptions = Readonly<{
  /** A scratch directory for the transpiled sources; the caller removes it. */
  directory: string;
  file: string;
  topic: string;
  key: string;
  writers: number;
  count: number;
}>;

/**
 * Publishes from several threads at once, each with its own bus on its own connection to the
 * file, as processes sharing it would: the writers' transactions truly run in parallel, which
 * two connections in one thread never do.
 */
export const publishFromThreads = async (options: ThreadPublishOptions): Promise<void> => {
  const { directory, writers, ...rest } = options;
  const adapter = await transpileSources(directory);
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const barrier = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const threads = Array.from(
    { length: writers },
    (_, writer) =>
      // Without the test runner's source condition, so workspace packages resolve to what they publish: JavaScript.
      new Worker(writerScript, { eval: true, execArgv: [], workerData: { ...rest, writers, writer, adapter, driver, barrier } }),
  );
  await Promise.all(threads.map(finished));
};
