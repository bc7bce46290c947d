import type { JsonObject } from "@clientapps/primitives";

export type { JsonValue } from "@clientapps/primitives";
export type Scalar = string | number | boolean | null;
export type Document = JsonObject;

/** Top-level fields of a document whose values are scalars: the ones a query can filter or sort on. */
export type ScalarField<T extends Document> = { [K in keyof T]: T[K] extends Scalar ? K : never }[keyof T] & string;

export type IndexDefinition = Readonly<{ fields: readonly string[]; unique?: boolean }>;

export type CollectionDefinition = Readonly<{
  name: string;
  /** Created when the collection is opened; filter and sort fields of `find` should be covered. */
  indexes: readonly IndexDefinition[];
  /**
   * The collection holds what no rebuild can bring back (records that are not derived from the
   * event store, or derived ones whose source has moved on): each write is on disk, surviving a
   * power loss, once it returns. Other collections are projections, which a store may keep at the
   * durability their checkpoints allow. MongoDB follows the connection's write concern for all.
   */
  durable?: boolean;
}>;

export type Stored<T extends Document> = Readonly<{ id: string; revision: number; document: T }>;

export type FindQuery<T extends Document> = Readonly<{
  /** Equality on top-level scalar fields, all of which must hold. */
  where?: { readonly [K in ScalarField<T>]?: T[K] };
  /** Case-insensitive substring match on a top-level string field. */
  contains?: Readonly<{ field: ScalarField<T>; text: string }>;
  /** Inclusive lower and exclusive upper bound on a top-level scalar field. */
  range?: Readonly<{ field: ScalarField<T>; from?: string | number; to?: string | number }>;
  /** Sort key; ties are broken by id, so the order is total and pages never overlap. */
  orderBy: Readonly<{ field: ScalarField<T>; direction: "asc" | "desc" }>;
  limit: number;
  /** Opaque value from a previous page's `nextCursor`; the same query must be repeated with it. */
  cursor?: string | undefined;
}>;

export type Page<T extends Document> = Readonly<{ items: readonly Stored<T>[]; nextCursor: string | undefined }>;

export interface ReadModelCollection<T extends Document> {
  get(id: string): Promise<Stored<T> | undefined>;
  /**
   * Writes the document only when none is stored under `id` or the stored one has
   * a lower revision: re-applying an old change is a no-op. Returns whether it wrote.
   */
  upsert(id: string, revision: number, document: T): Promise<boolean>;
  /**
   * Removes the document; true when there was one. With `revision`, only while the
   * stored one is still at that revision: a sweep cannot remove what a writer has
   * replaced since the sweep read it.
   */
  remove(id: string, options?: Readonly<{ revision?: number }>): Promise<boolean>;
  find(query: FindQuery<T>): Promise<Page<T>>;
  /** Removes every document, for rebuilding a projection from zero. */
  clear(): Promise<void>;
  /**
   * Calls `listener` after each write this store makes to the collection, so that a reader in
   * the same process (a live tail) need not wait for its next poll; returns the function that
   * stops it. Writes of other processes announce nothing: a reader still polls for those.
   * Optional: a store without it leaves its readers to poll.
   */
  readonly watch?: (listener: () => void) => () => void;
}

/** Where each projection records how far into the event log it has applied. */
export interface CheckpointStore {
  get(name: string): Promise<string | undefined>;
  /** Records the position; a position lower than the stored one is ignored. */
  save(name: string, position: string): Promise<void>;
  reset(name: string): Promise<void>;
}

/**
 * The read-model port. Adapters use neither transactions nor change streams,
 * and never leak driver types or errors.
 */
export interface ReadModelStore {
  collection<T extends Document>(definition: CollectionDefinition): Promise<ReadModelCollection<T>>;
  readonly checkpoints: CheckpointStore;
  /** Resolves when the store answers; throws {@link ReadModelUnavailableError} otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
