import { useEffect, useState, type FormEvent } from "react";
import { startSession } from "../session.js";
import { beginSignIn, callbackPath, completeSignIn, loadSingleSignOn, SignInError, type SingleSignOn } from "../singleSignOn.js";

const singleSignOnFailure = (error: unknown) =>
  error instanceof SignInError ? error.message : "The identity provider could not be reached. Try again in a moment.";

/**
 * Sign-in by a pasted admin token or API key, and, when the service names the platform's identity provider,
 * "Sign in with …" there; the provider sends the browser back to /console/callback, where the sign-in ends.
 */
export const SignIn = () => {
  const [credential, setCredential] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<SingleSignOn | undefined>(undefined);
  const [ssoError, setSsoError] = useState<string | undefined>(undefined);
  const [ssoBusy, setSsoBusy] = useState(() => window.location.pathname === callbackPath);

  useEffect(() => {
    const atCallback = window.location.pathname === callbackPath;
    let current = true;
    void loadSingleSignOn().then(async (offered) => {
      if (!current) return;
      setSso(offered);
      if (!atCallback) return;
      if (!offered) {
        setSsoBusy(false);
        setSsoError("Single sign-on is not offered by this service.");
        return;
      }
      await completeSignIn(offered).catch((failure: unknown) => {
        setSsoError(singleSignOnFailure(failure));
        setSsoBusy(false);
      });
    });
    return () => {
      current = false;
    };
  }, []);

  const signInThere = async (offered: SingleSignOn) => {
    setSsoBusy(true);
    setSsoError(undefined);
    await beginSignIn(offered).catch((failure: unknown) => {
      setSsoError(singleSignOnFailure(failure));
      setSsoBusy(false);
    });
  };

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
      {sso && (
        <section className="sso" aria-label="Single sign-on">
          <button type="button" disabled={ssoBusy} onClick={() => void signInThere(sso)}>
            {ssoBusy ? "Signing in…" : `Sign in with ${sso.providerName}`}
          </button>
        </section>
      )}
      {ssoError && (
        <p className="error" role="alert">
          {ssoError}
        </p>
      )}
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
