import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import type { ReadModelCollection, ReadModelStore } from "@clientapps/read-models";
import { describe, expect, it } from "vitest";
import { withAuditedMessages } from "../testing/auditSpecification.js";
import { inWorkspace, messagesOf } from "../testing/eventMessages.js";
import {
  activityAnchorsCollection,
  activityStreamCollection,
  activityVerificationCollection,
  type ActivityEntry,
  type ChainAnchor,
} from "./activityEntry.js";
import { chainHash } from "./hashChain.js";
import { verifyActivityChain, verifyActivityChainFromCheckpoint, type ChainVerification } from "./verifyChain.js";

/** Someone with write access to the stored activity stream tries to rewrite history; the chain tells. */

// Eight entries in ws-1, three in ws-2, interleaved as they would arrive.
const events = [
  b.registered(),
  inWorkspace(b.registered(), "ws-2"),
  b.updated({ displayName: "Awork sync" }, { displayName: "Awork integration" }),
  b.keyIssued(),
  inWorkspace(b.keyIssued(), "ws-2"),
  b.secretRotated({
    gracePeriodSeconds: 3600,
    supersededSecrets: [{ secretId: "secret-1", fingerprint: "…wxyz", expiresOn: b.after(3600) }],
  }),
  b.keyRevoked(),
  b.deactivated(),
  inWorkspace(b.deleted(), "ws-2"),
  b.activated(b.after(60)),
  b.deleted(b.after(120)),
];

type Chain = Readonly<{
  entries: ReadModelCollection<ActivityEntry>;
  anchors: ReadModelCollection<ChainAnchor>;
  /** The entry stored under `sequence` now. */
  at: (sequence: number, workspaceId?: string) => Promise<ActivityEntry>;
  verify: (workspaceId?: string) => Promise<ChainVerification>;
  /** Verification from the stored checkpoint (full: from the first entry), which moves the checkpoint when the chain holds. */
  verifyFromCheckpoint: (mode: "incremental" | "full", workspaceId?: string) => Promise<ChainVerification>;
  /** Has the consumer take the messages held back for later. */
  deliverLater: () => Promise<void>;
}>;

const withChain = (
  work: (chain: Chain) => Promise<void>,
  messages = messagesOf(...events),
  later: ReturnType<typeof messagesOf> = [],
): Promise<void> =>
  withAuditedMessages(
    messages,
    async (readModels: ReadModelStore, deliverLater) => {
      const entries = await readModels.collection<ActivityEntry>(activityStreamCollection);
      const anchors = await readModels.collection<ChainAnchor>(activityAnchorsCollection);
      const at = async (sequence: number, workspaceId = "ws-1") => {
        const page = await entries.find({ where: { workspaceId, sequence }, orderBy: { field: "sequence", direction: "asc" }, limit: 1 });
        const entry = page.items[0]?.document;
        if (!entry) throw new Error(`no entry ${workspaceId}#${sequence}`);
        return entry;
      };
      const checkpoints = await readModels.collection<ChainAnchor>(activityVerificationCollection);
      await work({
        entries,
        anchors,
        at,
        verify: (workspaceId = "ws-1") => verifyActivityChain(entries, anchors, workspaceId),
        verifyFromCheckpoint: (mode, workspaceId = "ws-1") =>
          verifyActivityChainFromCheckpoint({ entries, anchors, checkpoints }, workspaceId, { full: mode === "full" }),
        deliverLater,
      });
    },
    later,
  );

/** Overwrites the document stored under the entry's id (the event id), as a forger with write access would. */
const overwrite = async (entries: ReadModelCollection<ActivityEntry>, id: string, document: ActivityEntry, revision = 1): Promise<void> => {
  expect(await entries.upsert(id, revision, document), `overwrote ${id}`).toBe(true);
};

const brokenAt = (sequence: number, reason: string, eventId: string | null = null) => ({
  valid: false,
  entriesChecked: sequence - 1,
  firstBroken: { sequence, eventId, reason },
});

describe("verifyActivityChain, on a chain the audit consumer built", () => {
  it("finds an untouched chain valid, each workspace's on its own", () =>
    withChain(async ({ verify }) => {
      expect(await verify("ws-1")).toEqual({ valid: true, entriesChecked: 8, firstBroken: null });
      expect(await verify("ws-2")).toEqual({ valid: true, entriesChecked: 3, firstBroken: null });
      expect(await verify("ws-without-entries")).toEqual({ valid: true, entriesChecked: 0, firstBroken: null });
    }));

  it("names an entry whose content was edited", () =>
    withChain(async ({ entries, at, verify }) => {
      const entry = await at(4);
      await overwrite(entries, entry.eventId, { ...entry, actorId: "cred-innocent-bystander" });
      expect(await verify()).toEqual(brokenAt(4, "content_altered", entry.eventId));
    }));

  it("names an entry whose recorded changes were edited", () =>
    withChain(async ({ entries, at, verify }) => {
      const entry = await at(2);
      await overwrite(entries, entry.eventId, { ...entry, changes: { displayName: { before: "Awork integration", after: "Harmless" } } });
      expect(await verify()).toEqual(brokenAt(2, "content_altered", entry.eventId));
    }));

  it("names the entry after one whose content was edited and its own hash recomputed", () =>
    withChain(async ({ entries, at, verify }) => {
      const { hash: _hash, ...content } = await at(4);
      const forged = { ...content, sourceIp: "10.0.0.1" };
      await overwrite(entries, forged.eventId, { ...forged, hash: chainHash(forged.previousHash, forged) });
      expect(await verify()).toEqual(brokenAt(5, "previous_hash_mismatch", (await at(5)).eventId));
    }));

  it("tells by the anchor when the last entry was edited and its hash recomputed", () =>
    withChain(async ({ entries, at, verify }) => {
      const { hash: _hash, ...content } = await at(8);
      const forged = { ...content, actorId: "cred-someone-else" };
      await overwrite(entries, forged.eventId, { ...forged, hash: chainHash(forged.previousHash, forged) });
      expect(await verify()).toEqual({
        valid: false,
        entriesChecked: 8,
        firstBroken: { sequence: 8, eventId: null, reason: "anchor_mismatch" },
      });
    }));

  it("tells by the anchor when every entry from an edited one on was re-hashed", () =>
    withChain(async ({ entries, at, verify }) => {
      let previousHash = (await at(3)).previousHash;
      for (let sequence = 3; sequence <= 8; sequence++) {
        const { hash: _hash, ...content } = await at(sequence);
        const forged = { ...content, previousHash, ...(sequence === 3 ? { actorId: "cred-someone-else" } : {}) };
        previousHash = chainHash(forged.previousHash, forged);
        await overwrite(entries, forged.eventId, { ...forged, hash: previousHash });
      }
      expect(await verify()).toEqual({
        valid: false,
        entriesChecked: 8,
        firstBroken: { sequence: 8, eventId: null, reason: "anchor_mismatch" },
      });
    }));

  it("accepts an anchor left behind by a crash between an entry and its anchor, and checks its hash", () =>
    withChain(async ({ anchors, at, verify }) => {
      const seventh = await at(7);
      expect(await anchors.remove("ws-1")).toBe(true);
      await anchors.upsert("ws-1", 7, { sequence: 7, hash: seventh.hash });
      expect(await verify()).toEqual({ valid: true, entriesChecked: 8, firstBroken: null });
      await anchors.upsert("ws-1", 8, { sequence: 7, hash: (await at(6)).hash });
      expect(await verify()).toEqual({
        valid: false,
        entriesChecked: 8,
        firstBroken: { sequence: 7, eventId: null, reason: "anchor_mismatch" },
      });
    }));

  it("names a deleted entry in the middle as missing", () =>
    withChain(async ({ entries, at, verify }) => {
      expect(await entries.remove((await at(5)).eventId)).toBe(true);
      expect(await verify()).toEqual(brokenAt(5, "missing"));
    }));

  it("names a deleted first entry as missing", () =>
    withChain(async ({ entries, at, verify }) => {
      expect(await entries.remove((await at(1)).eventId)).toBe(true);
      expect(await verify()).toEqual(brokenAt(1, "missing"));
    }));

  it("tells by the anchor that the last entry was deleted", () =>
    withChain(async ({ entries, at, verify }) => {
      expect(await entries.remove((await at(8)).eventId)).toBe(true);
      expect(await verify()).toEqual(brokenAt(8, "missing"));
    }));

  it("tells by the anchor that the last entries were cut off", () =>
    withChain(async ({ entries, at, verify }) => {
      for (const sequence of [6, 7, 8]) expect(await entries.remove((await at(sequence)).eventId)).toBe(true);
      expect(await verify()).toEqual(brokenAt(6, "missing"));
    }));

  it.each([
    [3, 6],
    [4, 5],
    [1, 8],
  ])("names the lower of two entries whose sequences were swapped (%i and %i)", (lower, higher) =>
    withChain(async ({ entries, at, verify }) => {
      const [first, second] = [await at(lower), await at(higher)];
      // The unique (workspace, sequence) index forbids two entries at one place even for a moment.
      await overwrite(entries, first.eventId, { ...first, sequence: 1000 });
      await overwrite(entries, second.eventId, { ...second, sequence: lower });
      await overwrite(entries, first.eventId, { ...first, sequence: higher }, 2);
      expect(await verify()).toEqual(brokenAt(lower, "previous_hash_mismatch", second.eventId));
    }),
  );

  it("names the first of two entries that swapped everything but their sequences", () =>
    withChain(async ({ entries, at, verify }) => {
      const [first, second] = [await at(2), await at(7)];
      await overwrite(entries, first.eventId, { ...second, sequence: 2 });
      await overwrite(entries, second.eventId, { ...first, sequence: 7 });
      expect(await verify()).toEqual(brokenAt(2, "previous_hash_mismatch", second.eventId));
    }));

  it("names the first of two entries that swapped their contents but kept their place in the chain", () =>
    withChain(async ({ entries, at, verify }) => {
      const [first, second] = [await at(3), await at(4)];
      const chainFields = ({ sequence, previousHash, hash }: ActivityEntry) => ({ sequence, previousHash, hash });
      await overwrite(entries, first.eventId, { ...second, ...chainFields(first) });
      await overwrite(entries, second.eventId, { ...first, ...chainFields(second) });
      expect(await verify()).toEqual(brokenAt(3, "content_altered", second.eventId));
    }));

  it("leaves the other workspace's chain valid when one is tampered with", () =>
    withChain(async ({ entries, at, verify }) => {
      const entry = await at(3);
      await overwrite(entries, entry.eventId, { ...entry, objectId: "another-client" });
      expect(await entries.remove((await at(6)).eventId)).toBe(true);
      expect(await verify("ws-1")).toEqual(brokenAt(3, "content_altered", entry.eventId));
      expect(await verify("ws-2")).toEqual({ valid: true, entriesChecked: 3, firstBroken: null });
    }));

  it("stays valid when the consumer appends while the chain is walked", () => {
    const messages = messagesOf(...events, b.updated({ description: "Later" }, { description: "" }));
    const later = messages.pop()!;
    return withAuditedMessages(
      messages,
      async (readModels, deliverLater) => {
        const entries = await readModels.collection<ActivityEntry>(activityStreamCollection);
        const anchors = await readModels.collection<ChainAnchor>(activityAnchorsCollection);
        let appended = false;
        // The append lands after the walk's last page, before the anchor is looked at.
        const walkedWhileAppending: ReadModelCollection<ActivityEntry> = {
          ...entries,
          find: async (query) => {
            const page = await entries.find(query);
            if (page.nextCursor === undefined && !appended) {
              appended = true;
              await deliverLater();
            }
            return page;
          },
        };
        expect(await verifyActivityChain(walkedWhileAppending, anchors, "ws-1")).toEqual({
          valid: true,
          entriesChecked: 8,
          firstBroken: null,
        });
        expect(await verifyActivityChain(entries, anchors, "ws-1")).toEqual({ valid: true, entriesChecked: 9, firstBroken: null });
      },
      [later],
    );
  });

  it("walks a chain longer than a page", () => {
    const updates = Array.from({ length: 520 }, (_, index) =>
      b.updated({ description: `v${index + 1}` }, { description: index === 0 ? "" : `v${index}` }),
    );
    return withChain(
      async ({ entries, at, verify }) => {
        expect(await verify()).toEqual({ valid: true, entriesChecked: 521, firstBroken: null });
        const entry = await at(510);
        await overwrite(entries, entry.eventId, { ...entry, requestId: "req-forged" });
        expect(await verify()).toEqual(brokenAt(510, "content_altered", entry.eventId));
      },
      messagesOf(b.registered(), ...updates),
    );
  });
});

const split = <T>(items: readonly T[], at: number): [T[], T[]] => [items.slice(0, at), items.slice(at)];

describe("verifyActivityChainFromCheckpoint", () => {
  it("checks only the entries after the last verified checkpoint, and finds one altered after it", () =>
    withChain(
      async ({ entries, at, verifyFromCheckpoint, deliverLater }) => {
        expect(await verifyFromCheckpoint("incremental")).toEqual({ valid: true, entriesChecked: 5, firstBroken: null });
        expect(await verifyFromCheckpoint("incremental")).toEqual({ valid: true, entriesChecked: 0, firstBroken: null });
        await deliverLater();

        const entry = await at(7);
        await overwrite(entries, entry.eventId, { ...entry, actorId: "cred-innocent-bystander" });

        expect(await verifyFromCheckpoint("incremental")).toEqual({
          valid: false,
          entriesChecked: 1,
          firstBroken: { sequence: 7, eventId: entry.eventId, reason: "content_altered" },
        });
      },
      ...split(messagesOf(...events), 7),
    ));

  it("leaves an entry altered before the checkpoint to the full verification, which finds it", () =>
    withChain(async ({ entries, at, verifyFromCheckpoint }) => {
      expect(await verifyFromCheckpoint("incremental")).toEqual({ valid: true, entriesChecked: 8, firstBroken: null });
      const entry = await at(3);
      await overwrite(entries, entry.eventId, { ...entry, actorId: "cred-innocent-bystander" });

      expect(await verifyFromCheckpoint("incremental")).toEqual({ valid: true, entriesChecked: 0, firstBroken: null });
      expect(await verifyFromCheckpoint("full")).toEqual(brokenAt(3, "content_altered", entry.eventId));
    }));

  it("finds entries cut off at the end even when the checkpoint is past them", () =>
    withChain(async ({ entries, at, verifyFromCheckpoint }) => {
      expect((await verifyFromCheckpoint("incremental")).valid).toBe(true);
      const last = await at(8);
      expect(await entries.remove(last.eventId)).toBe(true);

      expect((await verifyFromCheckpoint("incremental")).valid).toBe(false);
    }));
});
