import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReadModelCollection } from "@clientapps/read-models";
import { openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialIndexLookup } from "./credentialIndexLookup.js";

type Entry = Readonly<{ workspaceId: string; credentialId: string }>;

let dir: string;
const opened: Engines[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "credential-index-lookup-"));
});
afterEach(async () => {
  for (const engines of opened.splice(0)) await engines.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An index on the embedded engines, counting the reads the lookup makes of it. */
const givenIndex = async (maxCached?: number) => {
  const engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 25 });
  opened.push(engines);
  const { readModels, eventStore } = engines;
  const index = await readModels.collection<Entry>({ name: "credentialIndex", indexes: [] });
  const reads: string[] = [];
  const counted: ReadModelCollection<Entry> = {
    ...index,
    get: (id) => {
      reads.push(id);
      return index.get(id);
    },
  };
  const lookup = credentialIndexLookup({
    index: counted,
    checkpoint: "credentialIndex",
    checkpoints: readModels.checkpoints,
    eventStore,
    catchUpTimeoutMs: 50,
    ...(maxCached === undefined ? {} : { maxCached }),
  });
  return { index, reads, lookup };
};

describe("the credential index lookup", () => {
  it("reads the index once for a credential it found, however often it is checked", async () => {
    const { index, reads, lookup } = await givenIndex();
    await index.upsert("hash-a", 0, { workspaceId: "ws", credentialId: "key-a" });

    for (let check = 0; check < 3; check++) expect(await lookup("hash-a")).toEqual({ workspaceId: "ws", credentialId: "key-a" });

    expect(reads).toEqual(["hash-a"]);
  });

  it("keeps no miss: a credential indexed after a failed lookup is found by the next one", async () => {
    const { index, lookup } = await givenIndex();

    expect(await lookup("hash-b")).toBeUndefined();
    await index.upsert("hash-b", 0, { workspaceId: "ws", credentialId: "key-b" });

    expect(await lookup("hash-b")).toEqual({ workspaceId: "ws", credentialId: "key-b" });
  });

  it("forgets the least recently found beyond its bound, and reads it again", async () => {
    const { index, reads, lookup } = await givenIndex(1);
    await index.upsert("hash-a", 0, { workspaceId: "ws", credentialId: "key-a" });
    await index.upsert("hash-b", 0, { workspaceId: "ws", credentialId: "key-b" });

    await lookup("hash-a");
    await lookup("hash-b");
    await lookup("hash-a");

    expect(reads).toEqual(["hash-a", "hash-b", "hash-a"]);
  });
});
