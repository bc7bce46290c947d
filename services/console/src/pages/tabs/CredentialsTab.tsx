import { useEffect, useState, type FormEvent } from "react";
import { api, asProblem, type Problem } from "../../api/client.js";
import { ErrorMessage, OneTimeSecret, formatTime } from "../../components/common.js";
import type { Loaded } from "../ClientPage.js";

const graceChoices = [
  { seconds: 0, label: "None: the old secret stops now" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 604_800, label: "7 days (the longest)" },
] as const;

const remaining = (until: string, now: number): string => {
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  const parts = [Math.floor(seconds / 86_400), Math.floor((seconds % 86_400) / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const [days, hours, minutes, secs] = parts as [number, number, number, number];
  return days > 0 ? `${days} d ${hours} h ${minutes} min` : hours > 0 ? `${hours} h ${minutes} min ${secs} s` : `${minutes} min ${secs} s`;
};

/** Ticks once a second while anything on the page counts down. */
const useNow = (active: boolean): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
};

export const CredentialsTab = ({ loaded, onChanged }: { loaded: Loaded; onChanged: () => Promise<void> }) => {
  const { client } = loaded;
  const [grace, setGrace] = useState("3600");
  const [custom, setCustom] = useState("300");
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const counting = client.secrets.some((candidate) => candidate.expiresOn !== null);
  const now = useNow(counting);

  if (!client.isConfidential) return <p>A public client has no secret: it proves itself with PKCE. API keys are under Manage API Key.</p>;

  const rotate = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const gracePeriodSeconds = grace === "custom" ? Number(custom) : Number(grace);
    const { data, error, response } = await api.POST("/api/v1/clientapplications/{clientId}/secret", {
      params: { path: { clientId: client.clientId }, header: { "Idempotency-Key": crypto.randomUUID() } },
      body: { gracePeriodSeconds },
    });
    setBusy(false);
    if (data) {
      setSecret(data.clientSecret);
      await onChanged();
    } else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };

  return (
    <>
      <h2>Client secrets</h2>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Fingerprint</th>
            <th scope="col">Created</th>
            <th scope="col">Stops working</th>
          </tr>
        </thead>
        <tbody>
          {client.secrets.map((entry) => (
            <tr key={entry.id}>
              <td>
                <code>{entry.fingerprint}</code>
              </td>
              <td>{formatTime(entry.createdOn)}</td>
              <td data-testid="secret-expiry">
                {entry.expiresOn === null ? (
                  "Current secret"
                ) : Date.parse(entry.expiresOn) > now ? (
                  <span role="timer" aria-live="off">
                    in {remaining(entry.expiresOn, now)} ({formatTime(entry.expiresOn)})
                  </span>
                ) : (
                  "Stopped working"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {secret && <OneTimeSecret label="New client secret" value={secret} />}
      <form onSubmit={(event) => void rotate(event)}>
        <h2>Rotate the secret</h2>
        <label htmlFor="grace">How long the old secret keeps working</label>
        <select id="grace" value={grace} onChange={(event) => setGrace(event.target.value)}>
          {graceChoices.map((choice) => (
            <option key={choice.seconds} value={String(choice.seconds)}>
              {choice.label}
            </option>
          ))}
          <option value="custom">Another number of seconds</option>
        </select>
        {grace === "custom" && (
          <>
            <label htmlFor="grace-seconds">Seconds (0 to 604800)</label>
            <input
              id="grace-seconds"
              type="number"
              min={0}
              max={604800}
              value={custom}
              onChange={(event) => setCustom(event.target.value)}
            />
          </>
        )}
        {problem && <ErrorMessage problem={problem} what="rotate the secret" />}
        <button type="submit" disabled={busy}>
          {busy ? "Rotating…" : "Rotate secret"}
        </button>
      </form>
    </>
  );
};
