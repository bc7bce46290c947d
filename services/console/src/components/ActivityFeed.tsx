import { useEffect, useState } from "react";
import { api, asProblem, nextCursor, type ActivityEntry, type Problem } from "../api/client.js";
import { followStream } from "../api/serverSentEvents.js";
import { Changes, ErrorMessage, Loading, formatTime } from "./common.js";

export type ActivityFilters = Readonly<{ actor?: string; type?: string; from?: string; to?: string }>;

const queryString = (filters: ActivityFilters): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
};

const merge = (known: readonly ActivityEntry[], more: readonly ActivityEntry[]): ActivityEntry[] => {
  const bySequence = new Map(known.map((entry) => [entry.sequence, entry]));
  for (const entry of more) bySequence.set(entry.sequence, entry);
  return [...bySequence.values()].sort((a, b) => b.sequence - a.sequence);
};

/**
 * Activity entries, newest first: the stored pages, then every new one as it arrives on the
 * live tail (fetch streaming of `text/event-stream`), resumed from the newest one loaded.
 */
export const ActivityFeed = ({ clientId, filters = {} }: { clientId?: string; filters?: ActivityFilters }) => {
  const [entries, setEntries] = useState<readonly ActivityEntry[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [live, setLive] = useState<"connecting" | "live" | "reconnecting">("connecting");
  const path = clientId ? `/api/v1/clientapplications/${encodeURIComponent(clientId)}/activity_stream` : "/api/v1/activity_stream";
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    const abort = new AbortController();
    setEntries(undefined);
    setProblem(undefined);
    const load = async () => {
      let loaded: ActivityEntry[] = [];
      let cursor: string | undefined;
      // Every stored page up to the head, so the live tail can resume exactly after it.
      for (let page = 0; page < 20; page++) {
        const query = { ...(JSON.parse(filterKey) as ActivityFilters), pageSize: 500, ...(cursor ? { cursor } : {}) };
        const { data, error, response } = clientId
          ? await api.GET("/api/v1/clientapplications/{clientId}/activity_stream", {
              params: { path: { clientId }, query },
              signal: abort.signal,
            })
          : await api.GET("/api/v1/activity_stream", { params: { query }, signal: abort.signal });
        if (!data) {
          setProblem(asProblem(error) ?? `the service answered ${response.status}`);
          return;
        }
        loaded = merge(loaded, data);
        cursor = nextCursor(response);
        if (!cursor) break;
      }
      setEntries(loaded);
      const head = loaded[0]?.sequence;
      await followStream(
        `${path}${queryString(JSON.parse(filterKey) as ActivityFilters)}`,
        head === undefined ? "0" : String(head),
        (event) => {
          if (event.event === "activity") setEntries((known) => merge(known ?? [], [JSON.parse(event.data) as ActivityEntry]));
        },
        setLive,
        abort.signal,
      );
    };
    load().catch(() => {
      if (!abort.signal.aborted) setProblem("the service could not be reached");
    });
    return () => abort.abort();
  }, [clientId, path, filterKey]);

  if (problem) return <ErrorMessage problem={problem} what="load the activity" />;
  if (entries === undefined) return <Loading what="the activity" />;
  return (
    <>
      <p className="live" role="status">
        {live === "live"
          ? "Live: new entries appear as they happen."
          : live === "reconnecting"
            ? "Reconnecting to the live tail…"
            : "Connecting…"}
      </p>
      {entries.length === 0 ? (
        <p className="empty">No activity yet{Object.values(filters).some(Boolean) ? " matches these filters" : ""}.</p>
      ) : (
        <ol className="activity" aria-label="Activity entries">
          {entries.map((entry) => (
            <li key={entry.sequence} data-testid="activity-entry">
              <div className="entry-head">
                <strong>{entry.operation}</strong> <span className="subtle">{entry.eventType}</span>
                {" of "}
                <code>{entry.object.id}</code>
                {` by ${entry.actor.type} `}
                {entry.actor.name ? `${entry.actor.name} ` : ""}
                {entry.actor.email ? `<${entry.actor.email}> ` : ""}
                <code>{entry.actor.id}</code>
                <span className="subtle">
                  {" "}
                  #{entry.sequence} · {formatTime(entry.time)}
                  {entry.sourceIp ? ` · ${entry.sourceIp}` : ""}
                </span>
              </div>
              <Changes changes={entry.changes} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
};
