/**
 * The signed-in credential lives in sessionStorage only: it is gone when the tab closes, and never in
 * localStorage, a cookie or the URL. A session records how it was obtained: a pasted token or key, or
 * single sign-on (authorization code + PKCE at the platform's identity provider), whose access token
 * is used as the Bearer like a pasted one, with who signed in as the ID token names them.
 */
export type SignInMethod = "pasted" | "singleSignOn";

export type Session = Readonly<{ credential: string; method: SignInMethod; name?: string; email?: string }>;

const storageKey = "clientapps.console.session";
const listeners = new Set<() => void>();

export const currentSession = (): Session | undefined => {
  const raw = sessionStorage.getItem(storageKey);
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.credential !== "string" || (parsed.method !== "pasted" && parsed.method !== "singleSignOn")) return undefined;
    return {
      credential: parsed.credential,
      method: parsed.method,
      ...(typeof parsed.name === "string" ? { name: parsed.name } : {}),
      ...(typeof parsed.email === "string" ? { email: parsed.email } : {}),
    };
  } catch {
    return undefined;
  }
};

export const startSession = (session: Session): void => {
  sessionStorage.setItem(storageKey, JSON.stringify(session));
  listeners.forEach((listener) => listener());
};

export const endSession = (): void => {
  sessionStorage.removeItem(storageKey);
  listeners.forEach((listener) => listener());
};

export const onSessionChange = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
