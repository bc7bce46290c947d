import type { Load } from "./wrk.js";

/** The operations of the table, in the order they run (reads before the writes that would grow the data). */
export const operations = ["list", "get", "introspect", "update", "rotate", "create"] as const;

export type Operation = (typeof operations)[number];

export const operationLabels: Readonly<Record<Operation, string>> = {
  create: "create a confidential client",
  update: "update (PUT)",
  get: "get one",
  introspect: "introspect a client secret",
  rotate: "rotate a secret",
  list: "list 50 of 1,000",
};

/** A system under load: what it calls each operation it has (its equivalent of ours), and how to drive it. */
export type SystemUnderLoad = Readonly<{
  /** Short: it names the system in the table and in the ratios. */
  name: string;
  /** What exactly ran (version, storage), for the legend. */
  description: string;
  loads: Partial<Record<Operation, Load>>;
  /** What the system's operation is, where it differs from ours. */
  notes?: Partial<Record<Operation, string>>;
  /** Waits, before each run, until what earlier runs left to do in the background is done. */
  settle?: () => Promise<void>;
  /** Runs each load once, unmeasured, before its measured runs: a JVM compiles its hot paths first. */
  warmUp?: boolean;
}>;
