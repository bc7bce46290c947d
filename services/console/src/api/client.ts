import createClient from "openapi-fetch";
import { currentSession, endSession } from "../session.js";
import type { components, paths } from "./schema.js";

export type ClientApplication = components["schemas"]["ClientApplication"];
export type ApiKey = components["schemas"]["ApiKey"];
export type ActivityEntry = components["schemas"]["ActivityEntry"];
export type Revocation = components["schemas"]["Revocation"];
export type Problem = components["schemas"]["Problem"];
export type ChainVerification = components["schemas"]["ChainVerification"];
export type Scope = components["schemas"]["IssueApiKeyRequest"]["scopes"][number];

type CatchingUpListener = (retryInSeconds: number | undefined) => void;
const catchingUpListeners = new Set<CatchingUpListener>();

/** Tells the page when the service answers 503 (catching up) and when it answers again. */
export const onCatchingUp = (listener: CatchingUpListener): (() => void) => {
  catchingUpListeners.add(listener);
  return () => catchingUpListeners.delete(listener);
};

const retryAfterSeconds = (response: Response): number => {
  const value = Number(response.headers.get("Retry-After"));
  return Number.isFinite(value) && value >= 0 ? Math.min(value, 30) : 1;
};

const sleep = (ms: number, signal: AbortSignal | null) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Every call of the console: adds the session's credential, ends the session on a 401, and on a 503
 * (an engine or projection catching up) waits as long as `Retry-After` says and asks again.
 */
export const authorizedFetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
  const template = new Request(input, init);
  const session = currentSession();
  if (session) template.headers.set("Authorization", `Bearer ${session.credential}`);
  for (;;) {
    const response = await fetch(template.clone());
    if (response.status === 503 && !template.signal.aborted) {
      const seconds = retryAfterSeconds(response);
      catchingUpListeners.forEach((listener) => listener(seconds));
      await sleep(seconds * 1000, template.signal);
      if (!template.signal.aborted) continue;
    }
    catchingUpListeners.forEach((listener) => listener(undefined));
    if (response.status === 401 && session) endSession();
    return response;
  }
};

/** JSON answers and problem details: the NDJSON export and the live tails are read with `authorizedFetch`. */
export const api = createClient<paths, "application/json" | "application/problem+json">({
  baseUrl: window.location.origin,
  fetch: authorizedFetch,
});

/** The `rel="next"` target of a Link header, as a cursor. */
export const nextCursor = (response: Response): string | undefined => {
  const link = response.headers.get("Link");
  const next = link?.split(",").find((part) => /rel="?next"?/.test(part));
  const url = next ? /<([^>]+)>/.exec(next)?.[1] : undefined;
  return url ? (new URL(url, window.location.origin).searchParams.get("cursor") ?? undefined) : undefined;
};

/** The problem-details body of a failed call, when the server sent one. */
export const asProblem = (error: unknown): Problem | undefined =>
  typeof error === "object" && error !== null && "status" in error && "title" in error ? (error as Problem) : undefined;

/** `errors[].field` ("redirectUris/0") to its message, for showing next to the field. */
export const fieldErrors = (problem: Problem | undefined): Record<string, string> =>
  Object.fromEntries((problem?.errors ?? []).map((error) => [error.field, error.message]));
