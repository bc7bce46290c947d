import { useState, type FormEvent } from "react";
import { startSession } from "../session.js";

/** Sign-in by a pasted admin token or API key; single sign-on will be a second form of this page. */
export const SignIn = () => {
  const [credential, setCredential] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const value = credential.trim();
    const response = await fetch(`${window.location.origin}/api/v1/clientapplications?pageSize=1`, {
      headers: { Authorization: `Bearer ${value}` },
    }).catch(() => undefined);
    setBusy(false);
    if (response?.ok) {
      setCredential("");
      startSession({ credential: value, method: "pasted" });
    } else if (response?.status === 401) setError("This token or key was not accepted. Check it and paste it again.");
    else if (response?.status === 403) setError("This credential cannot read client applications (it needs clientapps:read or admin).");
    else setError("The service could not be reached. Try again in a moment.");
  };

  return (
    <main className="signin">
      <h1>clientapps console</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label htmlFor="credential">Admin token or API key</label>
        <input
          id="credential"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={credential}
          onChange={(event) => setCredential(event.target.value)}
          aria-describedby="credential-help"
          required
        />
        <p id="credential-help" className="help">
          Kept in this tab only, and forgotten when you sign out or close the tab.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
};
