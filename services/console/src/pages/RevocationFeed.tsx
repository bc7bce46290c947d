import { useEffect, useState } from "react";
import { api, asProblem, type Problem, type Revocation } from "../api/client.js";
import { followStream } from "../api/serverSentEvents.js";
import { ErrorMessage, Loading, formatTime } from "../components/common.js";

/** What downstream services must stop accepting, and from when, live. */
export const RevocationFeed = () => {
  const [entries, setEntries] = useState<readonly Revocation[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [live, setLive] = useState<"connecting" | "live" | "reconnecting">("connecting");

  useEffect(() => {
    const abort = new AbortController();
    const load = async () => {
      let after = "0";
      let all: Revocation[] = [];
      for (let page = 0; page < 20; page++) {
        const { data, error, response } = await api.GET("/api/v1/tokens/feed", {
          params: { query: { after, pageSize: 500 } },
          signal: abort.signal,
        });
        if (!data) {
          setProblem(asProblem(error) ?? `the service answered ${response.status}`);
          return;
        }
        all = [...all, ...data.entries];
        if (data.entries.length === 0 || data.cursor === after) break;
        after = data.cursor;
      }
      setEntries(all);
      await followStream(
        `/api/v1/tokens/feed?after=${encodeURIComponent(after)}`,
        undefined,
        (event) => {
          if (event.event !== "revocation") return;
          const entry = JSON.parse(event.data) as Revocation;
          setEntries((known) => [...(known ?? []).filter((item) => item.sequence !== entry.sequence), entry]);
        },
        setLive,
        abort.signal,
      );
    };
    load().catch(() => {
      if (!abort.signal.aborted) setProblem("the service could not be reached");
    });
    return () => abort.abort();
  }, []);

  return (
    <main>
      <h1>Revocation feed</h1>
      <p className="help">Every credential downstream services must stop accepting, and from when. New entries appear as they happen.</p>
      {problem && <ErrorMessage problem={problem} what="load the revocation feed" />}
      {!problem && entries === undefined && <Loading what="the revocation feed" />}
      {entries && (
        <p className="live" role="status">
          {live === "live" ? "Live." : live === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </p>
      )}
      {entries?.length === 0 && <p className="empty">Nothing has been revoked yet.</p>}
      {entries && entries.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Client</th>
              <th scope="col">Reason</th>
              <th scope="col">Credential</th>
              <th scope="col">Revoke from</th>
            </tr>
          </thead>
          <tbody>
            {[...entries].reverse().map((entry) => (
              <tr key={entry.sequence} data-testid="revocation">
                <td>{entry.sequence}</td>
                {/* A workspace's own entries (its suspension, an admin token) name no client. */}
                <td>{entry.clientId === null ? "(the workspace)" : <code>{entry.clientId}</code>}</td>
                <td>{entry.reason.replaceAll("_", " ")}</td>
                <td>
                  {entry.credential.type.replaceAll("_", " ")}{" "}
                  {entry.credential.fingerprint ? <code>{entry.credential.fingerprint}</code> : null}
                </td>
                <td>{formatTime(entry.revokeFrom)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
};
