import type { Document, FindQuery, ReadModelCollection, Stored } from "@clientapps/read-models";
import type { Request } from "express";
import { Problems } from "../../http/problem.js";

export type AwxPage<Item> = Readonly<{ count: number; next: string | null; previous: string | null; results: Item[] }>;

/**
 * AWX's paging over a whole result: `count`, and `next`/`previous` as the same
 * request with another `page`. A page past the last is a 404, as in AWX.
 */
export const awxPageOf = <Item>(request: Request, items: readonly Item[], page: number, pageSize: number): AwxPage<Item> => {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  if (page > pages) throw Problems.notFound("invalid_page", `Invalid page: there are ${pages}.`);
  const [path = "", search = ""] = request.originalUrl.split("?");
  const linkTo = (target: number): string => {
    const query = new URLSearchParams(search);
    query.set("page", String(target));
    return `${path}?${query.toString()}`;
  };
  return {
    count: items.length,
    next: page < pages ? linkTo(page + 1) : null,
    previous: page > 1 ? linkTo(page - 1) : null,
    results: items.slice((page - 1) * pageSize, page * pageSize),
  };
};

/** Every document matching the query, read page by page; AWX's `count` needs them all. */
export const findAll = async <T extends Document>(
  collection: ReadModelCollection<T>,
  query: Omit<FindQuery<T>, "limit" | "cursor">,
): Promise<Stored<T>[]> => {
  const all: Stored<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await collection.find({ ...query, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
};
