import { useState, type FormEvent } from "react";
import { api, asProblem, fieldErrors, type ClientApplication, type Problem } from "../../api/client.js";
import { ErrorMessage, showValue } from "../../components/common.js";
import { RedirectUrisField, hasRedirectProblem } from "../../components/RedirectUrisField.js";
import { loadClient, type Loaded } from "../ClientPage.js";

type Draft = Readonly<{ displayName: string; description: string; redirectUris: string[]; isActive: boolean }>;
const editable = ["displayName", "description", "redirectUris", "isActive"] as const;
const draftOf = (client: ClientApplication): Draft => ({
  displayName: client.displayName,
  description: client.description,
  redirectUris: client.redirectUris.length > 0 ? [...client.redirectUris] : [""],
  isActive: client.isActive,
});
const labels: Record<(typeof editable)[number], string> = {
  displayName: "Name",
  description: "Description",
  redirectUris: "Redirect URLs",
  isActive: "Active",
};

type Conflict = Readonly<{ latest: Loaded; changed: readonly (typeof editable)[number][] }>;

export const SettingsTab = ({ loaded, onSaved }: { loaded: Loaded; onSaved: (loaded: Loaded) => void }) => {
  const [draft, setDraft] = useState<Draft>(() => draftOf(loaded.client));
  /** The version the edits started from: what "my changes" are measured against, also after a conflict. */
  const [base, setBase] = useState<Loaded>(loaded);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [conflict, setConflict] = useState<Conflict | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(typeof problem === "object" ? problem : undefined);

  /** Only the fields edited since {@link base}: a PUT sets what it names, so reapplying them keeps everyone else's changes. */
  const myChanges = (): Partial<Draft> => {
    const from = draftOf(base.client);
    const edited = editable.filter((field) => JSON.stringify(draft[field]) !== JSON.stringify(from[field]));
    const changes: Partial<Record<(typeof editable)[number], unknown>> = {};
    for (const field of edited) changes[field] = field === "redirectUris" ? draft.redirectUris.filter((uri) => uri !== "") : draft[field];
    return changes as Partial<Draft>;
  };

  const save = async (against: Loaded) => {
    setBusy(true);
    setProblem(undefined);
    setSaved(false);
    const { data, error, response } = await api.PUT("/api/v1/clientapplications/{clientId}", {
      params: { path: { clientId: against.client.clientId }, header: { "If-Match": against.etag } },
      body: myChanges(),
    });
    setBusy(false);
    if (data) {
      const savedVersion = { client: data, etag: response.headers.get("ETag") ?? "" };
      setConflict(undefined);
      setSaved(true);
      setBase(savedVersion);
      setDraft(draftOf(data));
      onSaved(savedVersion);
      return;
    }
    if (response.status === 412) {
      const latest = await loadClient(against.client.clientId);
      if (typeof latest === "object" && "client" in latest) {
        const changed = editable.filter((field) => JSON.stringify(latest.client[field]) !== JSON.stringify(against.client[field]));
        setConflict({ latest, changed });
        return;
      }
    }
    setProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!hasRedirectProblem(draft.redirectUris)) void save(conflict?.latest ?? loaded);
  };

  return (
    <form onSubmit={submit} noValidate>
      {conflict && (
        <div className="conflict" role="alert">
          <h2>Someone else changed this client application</h2>
          <p>While you were editing, it was saved by someone else. What they changed:</p>
          {conflict.changed.length === 0 ? (
            <p>Nothing you can edit here (its credentials or metadata changed).</p>
          ) : (
            <dl className="changes">
              {conflict.changed.map((field) => (
                <div key={field}>
                  <dt>{labels[field]}</dt>
                  <dd>
                    <span className="before">{showValue(loaded.client[field])}</span> →{" "}
                    <span className="after">{showValue(conflict.latest.client[field])}</span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setDraft(draftOf(conflict.latest.client));
                setBase(conflict.latest);
                setConflict(undefined);
                onSaved(conflict.latest);
              }}
            >
              Reload their version
            </button>
            <button type="button" onClick={() => void save(conflict.latest)}>
              Reapply my changes
            </button>
          </div>
        </div>
      )}
      <label htmlFor="settings-name">Name</label>
      <input
        id="settings-name"
        value={draft.displayName}
        maxLength={100}
        onChange={(event) => setDraft({ ...draft, displayName: event.target.value })}
      />
      {errors.displayName && <p className="field-error">{errors.displayName}</p>}
      <label htmlFor="settings-description">Description</label>
      <textarea
        id="settings-description"
        value={draft.description}
        maxLength={500}
        onChange={(event) => setDraft({ ...draft, description: event.target.value })}
      />
      {errors.description && <p className="field-error">{errors.description}</p>}
      <RedirectUrisField
        uris={draft.redirectUris}
        onChange={(redirectUris) => setDraft({ ...draft, redirectUris })}
        serverErrors={errors}
      />
      <label className="inline">
        <input type="checkbox" checked={draft.isActive} onChange={(event) => setDraft({ ...draft, isActive: event.target.checked })} />{" "}
        Active (an inactive client's credentials stop working)
      </label>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{loaded.client.isConfidential ? "Confidential" : "Public"}</dd>
        <dt>Scopes</dt>
        <dd>{loaded.client.scopes.join(", ") || "—"}</dd>
        <dt>Grant types</dt>
        <dd>{loaded.client.grantTypes.join(", ")}</dd>
      </dl>
      {problem && <ErrorMessage problem={problem} what="save the settings" />}
      <p role="status">{saved ? "Saved." : ""}</p>
      <button type="submit" disabled={busy || hasRedirectProblem(draft.redirectUris)}>
        {busy ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
};
