/**
 * The signed-in credential lives in sessionStorage only: it is gone when the tab closes, and never in
 * localStorage, a cookie or the URL. A session records how it was obtained, so single sign-on
 * (authorization code + PKCE against the platform's identity provider) can add its own method here
 * and the rest of the console keeps reading `currentSession()`.
 */
export type SignInMethod = "pasted";

export type Session = Readonly<{ credential: string; method: SignInMethod }>;

const storageKey = "clientapps.console.session";
const listeners = new Set<() => void>();

export const currentSession = (): Session | undefined => {
  const raw = sessionStorage.getItem(storageKey);
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    return typeof parsed.credential === "string" && parsed.method === "pasted"
      ? { credential: parsed.credential, method: parsed.method }
      : undefined;
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
