import { useEffect, useState } from "react";

export const base = "/console";

/** Routes are paths under /console; nothing secret is ever put in one. */
export type Route =
  | Readonly<{ page: "clients" }>
  | Readonly<{ page: "create" }>
  | Readonly<{ page: "client"; clientId: string; tab: ClientTab }>
  | Readonly<{ page: "activity" }>
  | Readonly<{ page: "revocations" }>
  | Readonly<{ page: "notFound" }>;

export const clientTabs = ["settings", "credentials", "apikeys", "activity", "history", "registration"] as const;
export type ClientTab = (typeof clientTabs)[number];

export const parseRoute = (pathname: string): Route => {
  const parts = pathname
    .replace(/^\/console\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts.length === 0) return { page: "clients" };
  if (parts[0] === "new" && parts.length === 1) return { page: "create" };
  if (parts[0] === "activity" && parts.length === 1) return { page: "activity" };
  if (parts[0] === "revocations" && parts.length === 1) return { page: "revocations" };
  if (parts[0] === "clients" && parts[1] !== undefined && parts.length <= 3) {
    const tab = clientTabs.find((candidate) => candidate === (parts[2] ?? "settings"));
    if (tab) return { page: "client", clientId: parts[1], tab };
  }
  return { page: "notFound" };
};

export const pathOf = (route: Route): string => {
  switch (route.page) {
    case "clients":
      return `${base}/`;
    case "create":
      return `${base}/new`;
    case "client":
      return `${base}/clients/${encodeURIComponent(route.clientId)}/${route.tab}`;
    case "activity":
      return `${base}/activity`;
    case "revocations":
      return `${base}/revocations`;
    case "notFound":
      return `${base}/`;
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
};

const navigationEvent = "console:navigate";

export const navigate = (route: Route): void => {
  window.history.pushState(null, "", pathOf(route));
  window.dispatchEvent(new Event(navigationEvent));
};

/** Replaces the current entry: how the sign-in callback leaves no code or state in the history. */
export const replaceRoute = (route: Route): void => {
  window.history.replaceState(null, "", pathOf(route));
  window.dispatchEvent(new Event(navigationEvent));
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(navigationEvent, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(navigationEvent, update);
    };
  }, []);
  return route;
};
