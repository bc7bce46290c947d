import type { Response, Test } from "supertest";
import { expect, vi } from "vitest";
import type { z } from "zod";
import type { ActivityEntryResource } from "../activity/activityRoutes.js";
import type { RevocationResource, TokenFeedPage as TokenFeedPageSchema } from "../tokens/tokenFeedRoutes.js";
import type { TestApi } from "./testApi.js";

/*
 * Request helpers for the HTTP tests of the activity stream and the token feed.
 * Both are written by the audit consumer, which `t.settle()` does not wait for:
 * these helpers poll the API, within a bound, until a write shows up.
 */

export const activityPath = "/api/v1/activity_stream";

export const tokenFeedPath = "/api/v1/tokens/feed";

export type ActivityEntry = z.infer<typeof ActivityEntryResource>;

export type Revocation = z.infer<typeof RevocationResource>;

export type TokenFeedPage = z.infer<typeof TokenFeedPageSchema>;

/** How long a test waits for the audit consumer; far above what it needs, so a miss is a bug, not a slow machine. */
const auditTimeoutMs = 10_000;

export const listActivity = (t: TestApi, auth: string, query: Record<string, string | number> = {}, path = activityPath): Test =>
  t.http().get(path).query(query).set("Authorization", auth);

export const readTokenFeed = (t: TestApi, auth: string, query: Record<string, string | number> = {}): Test =>
  t.http().get(tokenFeedPath).query(query).set("Authorization", auth);

/** The public id of the credential behind an Authorization header, as events record it. */
export const credentialIdOf = async (t: TestApi, auth: string): Promise<string> => {
  const credential = await t.api.credentials.find(auth.replace(/^Bearer /, ""), new Date(0));
  if (!credential) throw new Error("no such credential");
  return credential.credentialId;
};

/** The X-Request-Id a write answered with. */
export const requestIdOf = (response: Response): string => {
  const requestId = response.headers["x-request-id"];
  if (!requestId) throw new Error(`the response has no X-Request-Id header (status ${response.status})`);
  return requestId;
};

/** Waits until the workspace's activity stream holds the entry of this write, and returns that entry. */
export const auditedEntryOf = async (t: TestApi, auth: string, write: Response): Promise<ActivityEntry> => {
  const requestId = requestIdOf(write);
  return vi.waitFor(
    async () => {
      const listed = await listActivity(t, auth, { pageSize: 500 });
      expect(listed.status).toBe(200);
      const entry = (listed.body as ActivityEntry[]).find((candidate) => candidate.requestId === requestId);
      expect(entry, `no activity entry for request ${requestId} yet`).toBeDefined();
      return entry!;
    },
    { timeout: auditTimeoutMs, interval: 20 },
  );
};

/** Waits until the workspace's token feed holds at least `count` entries after `after`, and returns them. */
export const feedEntries = async (t: TestApi, auth: string, count: number, after = "0"): Promise<Revocation[]> =>
  vi.waitFor(
    async () => {
      const page = await readTokenFeed(t, auth, { after, pageSize: 500 });
      expect(page.status).toBe(200);
      const entries = (page.body as TokenFeedPage).entries;
      expect(entries.length, "token-feed entries so far").toBeGreaterThanOrEqual(count);
      return [...entries];
    },
    { timeout: auditTimeoutMs, interval: 20 },
  );
