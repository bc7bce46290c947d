import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of V8's `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
type CpuProfile = Readonly<{
  nodes: readonly Readonly<{ id: number; callFrame: Readonly<{ functionName: string; url: string; lineNumber: number }> }>[];
  samples: readonly number[];
  /** Microseconds from each sample to the one before it. */
  timeDeltas: readonly number[];
}>;

export type HotFunction = Readonly<{ name: string; location: string; selfMs: number; percent: number }>;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

const locationOf = (url: string, lineNumber: number): string => {
  if (url === "") return "";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf("node_modules/");
  const shown = modules >= 0 ? path.slice(modules + "node_modules/".length) : path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
  return `${shown}:${lineNumber + 1}`;
};

/**
 * The functions with the most self time (time on the CPU in the function itself, not
 * in what it calls): each sample's interval is charged to the node it sampled, and
 * nodes are summed per function (name and source location).
 */
export const hottestFunctions = (profilePath: string, count = 15): readonly HotFunction[] => {
  const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { name: string; location: string; micros: number }>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    // A sample's delta is the time since the previous sample; the interval after the last sample is unknown.
    const micros = profile.timeDeltas[index + 1] ?? 0;
    const frame = nodes.get(nodeId);
    if (!frame) return;
    total += micros;
    const name = frame.functionName || "(anonymous)";
    const location = locationOf(frame.url, frame.lineNumber);
    const key = `${name} ${location}`;
    const entry = self.get(key) ?? { name, location, micros: 0 };
    entry.micros += micros;
    self.set(key, entry);
  });
  return [...self.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, location: entry.location, selfMs: entry.micros / 1000, percent: (100 * entry.micros) / total }));
};

export const formatHotFunctions = (functions: readonly HotFunction[]): string =>
  functions
    .map(
      (entry, index) =>
        `${String(index + 1).padStart(2)}. ${entry.percent.toFixed(1).padStart(5)}%  ` +
        `${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.location}`,
    )
    .join("\n");
