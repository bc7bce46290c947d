import { useState, type FormEvent } from "react";
import { api, asProblem, fieldErrors, type Problem } from "../api/client.js";
import { ErrorMessage, Link, OneTimeSecret } from "../components/common.js";
import { RedirectUrisField, hasRedirectProblem } from "../components/RedirectUrisField.js";

type Created = Readonly<{ clientId: string; displayName: string; clientSecret: string | undefined }>;

/** "+ API Client": register a client; a confidential one's secret is shown here once. */
export const CreateClient = () => {
  const [displayName, setDisplayName] = useState("");
  const [clientId, setClientId] = useState("");
  const [isConfidential, setIsConfidential] = useState(true);
  const [uris, setUris] = useState<string[]>([""]);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | undefined>(undefined);
  const errors = fieldErrors(typeof problem === "object" ? problem : undefined);
  if (typeof problem === "object" && problem.status === 409)
    errors.clientId = "This client id is taken (or was used before) in this workspace.";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (hasRedirectProblem(uris)) return;
    setBusy(true);
    setProblem(undefined);
    const redirectUris = uris.filter((uri) => uri !== "");
    const { data, error, response } = await api
      .POST("/api/v1/clientapplications", {
        params: { header: { "Idempotency-Key": crypto.randomUUID() } },
        body: { displayName, ...(clientId ? { clientId } : {}), isConfidential, redirectUris },
      })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    if (data) setCreated({ clientId: data.clientId, displayName: data.displayName, clientSecret: data.clientSecret });
    else setProblem(asProblem(error) ?? (response ? `the service answered ${response.status}` : "the service could not be reached"));
  };

  if (created) {
    return (
      <main>
        <h1>{created.displayName} is registered</h1>
        <p>
          Client id: <code data-testid="created-client-id">{created.clientId}</code>
        </p>
        {created.clientSecret ? (
          <OneTimeSecret label="Client secret" value={created.clientSecret} />
        ) : (
          <p>A public client has no secret: it proves itself with PKCE.</p>
        )}
        <p>
          <Link to={{ page: "client", clientId: created.clientId, tab: "settings" }}>Open {created.displayName}</Link>
        </p>
      </main>
    );
  }

  return (
    <main>
      <h1>+ API Client</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="displayName">Name</label>
        <input
          id="displayName"
          value={displayName}
          maxLength={100}
          required
          aria-invalid={errors.displayName !== undefined}
          aria-describedby={errors.displayName ? "displayName-error" : undefined}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        {errors.displayName && (
          <p className="field-error" id="displayName-error">
            {errors.displayName}
          </p>
        )}
        <label htmlFor="clientId">Client id</label>
        <input
          id="clientId"
          value={clientId}
          spellCheck={false}
          aria-invalid={errors.clientId !== undefined}
          aria-describedby={errors.clientId ? "clientId-error" : "clientId-help"}
          onChange={(event) => setClientId(event.target.value)}
        />
        <p className="help" id="clientId-help">
          Unique in this workspace and never reused; left empty, the server picks one.
        </p>
        {errors.clientId && (
          <p className="field-error" id="clientId-error" role="alert">
            {errors.clientId}
          </p>
        )}
        <fieldset>
          <legend>Type</legend>
          <label className="inline">
            <input type="radio" name="kind" checked={isConfidential} onChange={() => setIsConfidential(true)} /> Confidential (a server that
            can keep a secret)
          </label>
          <label className="inline">
            <input type="radio" name="kind" checked={!isConfidential} onChange={() => setIsConfidential(false)} /> Public (a browser or
            native app: no secret, needs a redirect URL)
          </label>
        </fieldset>
        <RedirectUrisField uris={uris} onChange={setUris} serverErrors={errors} />
        {problem && <ErrorMessage problem={problem} what="register the client application" />}
        <button type="submit" disabled={busy || hasRedirectProblem(uris)}>
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </main>
  );
};
