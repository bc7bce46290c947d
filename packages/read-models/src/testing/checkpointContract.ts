import { describe, expect, it } from "vitest";
import { ReadModelUnavailableError } from "../errors.js";
import type { ReadModelStore } from "../readModelStore.js";
import { uniqueName } from "./contractFixture.js";

// Positions are opaque strings ordered lexicographically, like the event store's fixed-width hex.
const position = (n: number): string => n.toString(16).padStart(32, "0");

/** Checkpoints, ping and close. */
export const describeCheckpointContract = (store: () => ReadModelStore): void => {
  describe("checkpoints", () => {
    it("answers undefined for a name never saved", async () => {
      expect(await store().checkpoints.get(uniqueName("projection"))).toBeUndefined();
    });

    it("moves forward and ignores a position lower than the stored one", async () => {
      const name = uniqueName("projection");
      await store().checkpoints.save(name, position(10));
      expect(await store().checkpoints.get(name)).toBe(position(10));
      await store().checkpoints.save(name, position(255));
      expect(await store().checkpoints.get(name)).toBe(position(255));
      await store().checkpoints.save(name, position(16));
      expect(await store().checkpoints.get(name)).toBe(position(255));
      await store().checkpoints.save(name, position(255));
      expect(await store().checkpoints.get(name)).toBe(position(255));
    });

    it("reset forgets the position, so a rebuild can start again from a lower one", async () => {
      const name = uniqueName("projection");
      await store().checkpoints.save(name, position(99));
      await store().checkpoints.reset(name);
      expect(await store().checkpoints.get(name)).toBeUndefined();
      await store().checkpoints.save(name, position(1));
      expect(await store().checkpoints.get(name)).toBe(position(1));
      await store().checkpoints.reset(uniqueName("never-saved"));
    });

    it("keeps each name's position independent", async () => {
      const [first, second] = [uniqueName("first"), uniqueName("second")];
      await store().checkpoints.save(first, position(5));
      await store().checkpoints.save(second, position(500));
      await store().checkpoints.save(first, position(7));
      expect(await store().checkpoints.get(first)).toBe(position(7));
      expect(await store().checkpoints.get(second)).toBe(position(500));
      await store().checkpoints.reset(second);
      expect(await store().checkpoints.get(first)).toBe(position(7));
    });
  });

  describe("lifecycle", () => {
    it("ping resolves while the store is open", async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it("after close, refuses work with ReadModelUnavailableError, and closing again is harmless", async () => {
      const collection = await store().collection({ name: uniqueName("closing"), indexes: [] });
      await store().close();
      await expect(store().ping()).rejects.toBeInstanceOf(ReadModelUnavailableError);
      await expect(collection.get("any")).rejects.toBeInstanceOf(ReadModelUnavailableError);
      await expect(store().checkpoints.get("any")).rejects.toBeInstanceOf(ReadModelUnavailableError);
      await expect(store().close()).resolves.toBeUndefined();
    });
  });
};
