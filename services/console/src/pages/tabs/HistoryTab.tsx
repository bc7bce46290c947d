import { useState, type FormEvent } from "react";
import { api, asProblem, type Problem } from "../../api/client.js";
import type { components } from "../../api/schema.js";
import { ErrorMessage, formatTime, showValue } from "../../components/common.js";

type Historical = components["schemas"]["HistoricalClientApplication"];

/** `datetime-local` wants local time without a zone. */
const localInput = (date: Date): string => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

export const HistoryTab = ({ clientId, createdOn }: { clientId: string; createdOn: string }) => {
  const [at, setAt] = useState(() => localInput(new Date()));
  const [result, setResult] = useState<Historical | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);

  const show = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api.GET("/api/v1/clientapplications/{clientId}/history", {
      params: { path: { clientId }, query: { at: new Date(at).toISOString() } },
    });
    if (data) setResult(data);
    else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };

  const client = result?.clientApplication;
  return (
    <>
      <h2>As it was at a moment</h2>
      <form onSubmit={(event) => void show(event)} className="filters">
        <label>
          Moment
          <input
            type="datetime-local"
            step={1}
            value={at}
            min={localInput(new Date(createdOn))}
            onChange={(event) => setAt(event.target.value)}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <ErrorMessage problem={problem} what="rebuild the client at that moment" />}
      {result && result.status === "deleted" && (
        <p>
          At {formatTime(result.at)} it was deleted (on {formatTime(result.deletedOn)}).
        </p>
      )}
      {result && !client && result.status !== "deleted" && <p>It did not exist yet at {formatTime(result.at)}.</p>}
      {client && (
        <dl className="facts" aria-label={`As at ${formatTime(result.at)}`}>
          <dt>At</dt>
          <dd>
            {formatTime(result.at)} (revision {result.revision})
          </dd>
          {(["displayName", "description", "redirectUris", "isActive", "isConfidential", "scopes", "grantTypes"] as const).map((field) => (
            <div key={field} className="fact">
              <dt>{field}</dt>
              <dd>{showValue(client[field])}</dd>
            </div>
          ))}
          <dt>secrets</dt>
          <dd>{client.secrets.map((secret) => secret.fingerprint).join(", ") || "—"}</dd>
        </dl>
      )}
    </>
  );
};
