import { useState } from "react";
import { api, asProblem, authorizedFetch, type ChainVerification, type Problem } from "../api/client.js";
import { ActivityFeed, type ActivityFilters } from "../components/ActivityFeed.js";
import { ErrorMessage } from "../components/common.js";

const iso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

export const WorkspaceActivity = () => {
  const [actor, setActor] = useState("");
  const [type, setType] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [applied, setApplied] = useState<ActivityFilters>({});
  const [verification, setVerification] = useState<ChainVerification | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [verifying, setVerifying] = useState(false);

  const verify = async () => {
    setVerifying(true);
    setProblem(undefined);
    // The whole chain, every time: a person asking "is the trail intact" means all of it, not what came since the last check.
    const { data, error, response } = await api.GET("/api/v1/activity_stream/verify", { params: { query: { full: "true" } } });
    setVerifying(false);
    if (data) setVerification(data);
    else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };

  const exportAll = async () => {
    const params = new URLSearchParams(Object.entries(applied).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    const response = await authorizedFetch(`/api/v1/activity_stream?${params.toString()}`, { headers: { Accept: "application/x-ndjson" } });
    if (!response.ok) {
      setProblem(`the export answered ${response.status}`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = `activity-${new Date().toISOString().slice(0, 19)}.ndjson`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <main>
      <h1>Workspace activity</h1>
      <div className="actions">
        <button type="button" onClick={() => void verify()} disabled={verifying}>
          {verifying ? "Verifying…" : "Verify"}
        </button>
        <button type="button" onClick={() => void exportAll()}>
          Export NDJSON
        </button>
      </div>
      {problem && <ErrorMessage problem={problem} what="finish that" />}
      {verification && (
        <div className={verification.valid ? "verified" : "error"} role="alert" data-testid="verification">
          {verification.valid ? (
            <p>The chain is intact: {verification.entriesChecked} entries checked.</p>
          ) : (
            <p>
              <strong>The chain is broken</strong> at entry #{verification.firstBroken?.sequence}
              {verification.firstBroken?.eventId ? ` (event ${verification.firstBroken.eventId})` : ""}:{" "}
              {verification.firstBroken?.reason.replaceAll("_", " ")}. {verification.entriesChecked} entries checked.
            </p>
          )}
        </div>
      )}
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ actor: actor || undefined, type: type || undefined, from: iso(from), to: iso(to) });
        }}
      >
        <label>
          Actor id
          <input value={actor} onChange={(event) => setActor(event.target.value)} />
        </label>
        <label>
          Type
          <input value={type} placeholder="e.g. ClientUpdated" onChange={(event) => setType(event.target.value)} />
        </label>
        <label>
          From
          <input type="datetime-local" step={1} value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          To
          <input type="datetime-local" step={1} value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <ActivityFeed filters={applied} />
    </main>
  );
};
