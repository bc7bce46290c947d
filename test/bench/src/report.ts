import type { DistributedFigures } from "./distributed.js";
import type { FreshnessFigures, StartFigures } from "./figures.js";
import { operationLabels, operations, type Operation } from "./systems.js";
import type { MeasuredLoad } from "./wrk.js";

export const ours = "clientapps";
export const baselineName = "express";

export type Row = Readonly<{ operation: Operation; system: string; note?: string | undefined; result: MeasuredLoad }>;

export type ScaleReport = Readonly<{
  clients: number;
  seedSeconds: number;
  firstStart: StartFigures & Readonly<{ rebuildEventsPerSecond: number; auditCaughtUpMs: number }>;
  restart: StartFigures;
  listAtScale: MeasuredLoad;
  rssAtScaleMb: number | undefined;
}>;

export type Report = Readonly<{
  startedAt: string;
  wallSeconds: number;
  load: string;
  pinning: string;
  settings: Readonly<Record<string, unknown>>;
  rows: readonly Row[];
  /** Each system's name in the table, and what it is. */
  systems: Readonly<Record<string, string>>;
  rssAtPoolMb: number | undefined;
  freshness: FreshnessFigures | undefined;
  distributed: DistributedFigures | Readonly<{ failed: string }> | undefined;
  scale: ScaleReport | undefined;
}>;

const number = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "—";

const ms = (value: number): string => (value >= 100 ? number(value) : number(value, 1));

const ratio = (a: number, b: number): string => (a > 0 && b > 0 ? `${number(a / b, 2)}×` : "—");

/** Latencies of a load that completed nothing in its time are not zero but unknown. */
const latency = (result: MeasuredLoad, value: number): string => (result.requests > 0 ? ms(value) : "—");

/** For our row: our rate over the baseline's and each peer's, for the same operation. */
const ratios = (row: Row, rows: readonly Row[]): string => {
  if (row.system !== ours) return "";
  return rows
    .filter((other) => other.operation === row.operation && other.system !== ours)
    .map((other) => `${ratio(row.result.rate, other.result.rate)} ${other.system}`)
    .join("; ");
};

const header = ["operation", "system", "rate/s", "p50 ms", "p99 ms", "errors", "clientapps ÷ it"];

const cells = (rows: readonly Row[]): string[][] =>
  operations.flatMap((operation) =>
    rows
      .filter((row) => row.operation === operation)
      .map((row) => [
        operationLabels[operation],
        row.note ? `${row.system} (${row.note})` : row.system,
        number(row.result.rate),
        latency(row.result, row.result.p50Ms),
        latency(row.result, row.result.p99Ms),
        number(row.result.errors),
        ratios(row, rows),
      ]),
  );

const figureLines = (report: Report): string[] => {
  const lines: string[] = [];
  if (report.rssAtPoolMb !== undefined)
    lines.push(`RSS after the table's loads (about 1,000 clients and what the loads added): ${number(report.rssAtPoolMb)} MB`);
  if (report.freshness) {
    const { visible, activity } = report.freshness;
    lines.push(
      `write → visible to another reader: p50 ${ms(visible.p50Ms)} ms, p99 ${ms(visible.p99Ms)} ms (${visible.samples} writes)`,
      `write → activity-stream SSE entry: p50 ${ms(activity.p50Ms)} ms, p99 ${ms(activity.p99Ms)} ms (${activity.samples} writes)`,
    );
  }
  if (report.distributed && "failed" in report.distributed) {
    lines.push(`distributed: the measurement failed: ${report.distributed.failed}`);
  } else if (report.distributed) {
    const { visible, activity, engines } = report.distributed;
    lines.push(
      `distributed (api, projector, relay and audit processes; ${engines}):`,
      `  write → visible to another reader: p50 ${ms(visible.p50Ms)} ms, p99 ${ms(visible.p99Ms)} ms (${visible.samples} writes)`,
      `  write → activity-stream SSE entry: p50 ${ms(activity.p50Ms)} ms, p99 ${ms(activity.p99Ms)} ms (${activity.samples} writes)`,
    );
  }
  const scale = report.scale;
  if (scale) {
    const list1000 = report.rows.find((row) => row.system === ours && row.operation === "list");
    lines.push(
      `scale: ${number(scale.clients)} clients seeded (${number(scale.clients)} events appended through the service's own ` +
        `event-store code, not over HTTP) in ${number(scale.seedSeconds, 1)} s`,
      `  first start over them, nothing projected: /healthz after ${ms(scale.firstStart.healthzMs)} ms, /readyz after ` +
        `${ms(scale.firstStart.readyzMs)} ms, every projection caught up after ${ms(scale.firstStart.caughtUpMs)} ms ` +
        `(${number(scale.firstStart.rebuildEventsPerSecond)} events/s read-model rebuild), the audit's activity stream after ` +
        `${ms(scale.firstStart.auditCaughtUpMs)} ms`,
      `  restart, all projected: /healthz after ${ms(scale.restart.healthzMs)} ms, /readyz after ${ms(scale.restart.readyzMs)} ms`,
      `  list 50 at ${number(scale.clients)} clients: ${number(scale.listAtScale.rate)}/s, p99 ${ms(scale.listAtScale.p99Ms)} ms` +
        (list1000 ? ` (at 1,000: p99 ${ms(list1000.result.p99Ms)} ms, ${ratio(scale.listAtScale.p99Ms, list1000.result.p99Ms)})` : ""),
      `  RSS at ${number(scale.clients)} clients: ${scale.rssAtScaleMb === undefined ? "—" : `${number(scale.rssAtScaleMb)} MB`}`,
    );
  }
  return lines;
};

const preamble = (report: Report): string[] => [
  `pnpm bench, ${report.startedAt}, ${number(report.wallSeconds)} s wall`,
  `load average at the start: ${report.load}; ${report.pinning}`,
  `settings: ${JSON.stringify(report.settings)}`,
  ...Object.entries(report.systems).map(([name, description]) => `${name}: ${description}`),
];

/** The table and figures as plain text, for the terminal. */
export const formatText = (report: Report): string => {
  const table = [header, ...cells(report.rows)];
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? "").length)));
  const numeric = new Set([2, 3, 4, 5]);
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join("  ");
  return [
    ...preamble(report),
    "",
    line(header),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...cells(report.rows).map(line),
    "",
    ...figureLines(report),
  ]
    .join("\n")
    .concat("\n");
};

/** The same as Markdown, for the results file. */
export const formatMarkdown = (report: Report): string => {
  const row = (values: readonly string[]) => `| ${values.join(" | ")} |`;
  return [
    ...preamble(report).map((text) => `${text}  `),
    "",
    row(header),
    row(header.map((_, column) => (column >= 2 && column <= 5 ? "---:" : "---"))),
    ...cells(report.rows).map(row),
    "",
    ...figureLines(report).map((text) => `- ${text.trim()}`),
  ]
    .join("\n")
    .concat("\n");
};
