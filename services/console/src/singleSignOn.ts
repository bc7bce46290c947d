import type * as OAuth from "oauth4webapi";
import { base, replaceRoute } from "./router.js";
import { startSession } from "./session.js";

/** What the service says at /console/config.json: whether the console signs in at the platform's identity provider. */
export type SingleSignOn = Readonly<{
  issuer: string;
  clientId: string;
  scope: string;
  resource: string;
  providerName: string;
}>;

type ConsoleConfig = Readonly<{ singleSignOn: ({ enabled: false } | ({ enabled: true } & SingleSignOn)) | undefined }>;

export const callbackPath = `${base}/callback`;

/** The single sign-on the service offers, or undefined when it offers none (or cannot say). */
export const loadSingleSignOn = async (): Promise<SingleSignOn | undefined> => {
  const response = await fetch(`${window.location.origin}${base}/config.json`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const config = (await response.json().catch(() => undefined)) as ConsoleConfig | undefined;
  const sso = config?.singleSignOn;
  if (!sso?.enabled) return undefined;
  return { issuer: sso.issuer, clientId: sso.clientId, scope: sso.scope, resource: sso.resource, providerName: sso.providerName };
};

/** What the sign-in in progress must find again at the callback, kept in this tab only until then. */
type Pending = Readonly<{ codeVerifier: string; state: string; nonce: string }>;
const pendingKey = "clientapps.console.singleSignOn";

/** The protocol library, fetched only when a person signs in this way: the console of a service without it never loads it. */
const library = (): Promise<typeof OAuth> => import("oauth4webapi");

const redirectUri = () => `${window.location.origin}${callbackPath}`;

// The configuration only ever names an http issuer on loopback (a provider on the operator's own machine).
const insecureOn = (oauth: typeof OAuth, issuer: URL) => ({ [oauth.allowInsecureRequests]: issuer.protocol === "http:" });

const discover = async (oauth: typeof OAuth, sso: SingleSignOn) => {
  const issuer = new URL(sso.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecureOn(oauth, issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
};

/** Starts the authorization code flow with PKCE (S256), state and nonce: the browser leaves for the provider's sign-in. */
export const beginSignIn = async (sso: SingleSignOn): Promise<void> => {
  const oauth = await library().catch(() => {
    throw new SignInError("The console could not load its sign-in code. Reload the page and try again.");
  });
  const server = await discover(oauth, sso);
  if (!server.authorization_endpoint) throw new Error("the identity provider names no authorization endpoint");
  const pending: Pending = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const authorize = new URL(server.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: sso.clientId,
    response_type: "code",
    redirect_uri: redirectUri(),
    scope: sso.scope,
    // RFC 8707: the access token is for the registry, a JWT it verifies.
    resource: sso.resource,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  window.location.assign(authorize.toString());
};

const takePending = (): Pending | undefined => {
  const raw = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Pending>;
    const { codeVerifier, state, nonce } = parsed;
    return typeof codeVerifier === "string" && typeof state === "string" && typeof nonce === "string"
      ? { codeVerifier, state, nonce }
      : undefined;
  } catch {
    return undefined;
  }
};

/** Why a sign-in failed, in words a person can act on; never the code, a token or the verifier. */
export class SignInError extends Error {}

const describe = (oauth: typeof OAuth | undefined, error: unknown): SignInError => {
  if (oauth === undefined) return new SignInError("The console could not load its sign-in code. Reload the page and try again.");
  if (error instanceof SignInError) return error;
  if (error instanceof oauth.AuthorizationResponseError) {
    const said = error.error_description ? `: ${error.error_description}` : "";
    return new SignInError(`The identity provider did not sign you in (${error.error}${said}).`);
  }
  if (error instanceof oauth.ResponseBodyError) {
    const said = error.error_description ? `: ${error.error_description}` : "";
    return new SignInError(`The identity provider refused to issue a token (${error.error}${said}). Sign in again.`);
  }
  if (error instanceof oauth.OperationProcessingError)
    return new SignInError(`The identity provider's answer was not valid: ${error.message}.`);
  return new SignInError("The identity provider could not be reached. Try again in a moment.");
};

/** The registry's own judgement of the token, as a pasted one gets it: a refusal is explained, not a sign-in that ends at once. */
const registryAccepts = async (accessToken: string): Promise<void> => {
  const response = await fetch(`${window.location.origin}/api/v1/clientapplications?pageSize=1`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  }).catch(() => undefined);
  if (response?.ok) return;
  const why = /error_description="([^"]*)"/.exec(response?.headers.get("WWW-Authenticate") ?? "")?.[1];
  if (response?.status === 401) throw new SignInError(`The registry did not accept the identity provider's token${why ? `: ${why}` : ""}.`);
  if (response?.status === 403)
    throw new SignInError("You are signed in, but your grant cannot read client applications (it needs clientapps:read).");
  throw new SignInError("The service could not be reached. Try again in a moment.");
};

let completing: Promise<void> | undefined;

/**
 * At the callback: checks the state, takes the code out of the address bar and the history at once, exchanges it
 * (with the verifier and the resource) for an access token, and starts the session as the ID token names the person.
 */
export const completeSignIn = (sso: SingleSignOn): Promise<void> => {
  completing ??= (async () => {
    const answered = new URL(window.location.href);
    replaceRoute({ page: "clients" });
    const pending = takePending();
    let oauth: typeof OAuth | undefined;
    try {
      oauth = await library();
      const server = await discover(oauth, sso);
      const client: OAuth.Client = { client_id: sso.clientId };
      if (!pending) throw new SignInError("This sign-in was not started in this tab, or it was already used. Sign in again.");
      const parameters = oauth.validateAuthResponse(server, client, answered, pending.state);
      const insecure = insecureOn(oauth, new URL(sso.issuer));
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        client,
        oauth.None(),
        parameters,
        redirectUri(),
        pending.codeVerifier,
        { additionalParameters: { resource: sso.resource }, ...insecure },
      );
      const result = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: pending.nonce });
      await registryAccepts(result.access_token);
      const claims = oauth.getValidatedIdTokenClaims(result);
      const name = typeof claims?.name === "string" ? claims.name : undefined;
      const email = typeof claims?.email === "string" ? claims.email : undefined;
      startSession({
        credential: result.access_token,
        method: "singleSignOn",
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
      });
    } catch (error) {
      throw describe(oauth, error);
    } finally {
      completing = undefined;
    }
  })();
  return completing;
};
