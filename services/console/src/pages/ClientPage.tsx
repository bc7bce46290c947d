import { useCallback, useEffect, useState } from "react";
import { api, asProblem, type ClientApplication, type Problem } from "../api/client.js";
import { ErrorMessage, Link, Loading } from "../components/common.js";
import { clientTabs, type ClientTab } from "../router.js";
import { ActivityTab } from "./tabs/ActivityTab.js";
import { ApiKeysTab } from "./tabs/ApiKeysTab.js";
import { CredentialsTab } from "./tabs/CredentialsTab.js";
import { HistoryTab } from "./tabs/HistoryTab.js";
import { RegistrationTab } from "./tabs/RegistrationTab.js";
import { SettingsTab } from "./tabs/SettingsTab.js";

const tabNames: Record<ClientTab, string> = {
  settings: "Settings",
  credentials: "Credentials",
  apikeys: "Manage API Key",
  activity: "Activity",
  history: "History",
  registration: "Registration",
};

export type Loaded = Readonly<{ client: ClientApplication; etag: string }>;
type State = Readonly<{ status: "loading" }> | Readonly<{ status: "error"; problem: Problem | string }> | (Loaded & { status: "loaded" });

/** Reads one client application with its ETag, the revision a later edit is judged against. */
export const loadClient = async (clientId: string): Promise<Loaded | Problem | string> => {
  const { data, error, response } = await api.GET("/api/v1/clientapplications/{clientId}", { params: { path: { clientId } } });
  if (data) return { client: data, etag: response.headers.get("ETag") ?? "" };
  return asProblem(error) ?? `the service answered ${response.status}`;
};

export const ClientPage = ({ clientId, tab }: { clientId: string; tab: ClientTab }) => {
  const [state, setState] = useState<State>({ status: "loading" });
  const reload = useCallback(async () => {
    const loaded = await loadClient(clientId).catch(() => "the service could not be reached");
    setState(typeof loaded === "object" && "client" in loaded ? { status: "loaded", ...loaded } : { status: "error", problem: loaded });
  }, [clientId]);
  useEffect(() => {
    setState({ status: "loading" });
    void reload();
  }, [reload]);

  if (state.status === "loading") return <Loading what="the client application" />;
  if (state.status === "error") {
    return (
      <main>
        <ErrorMessage problem={state.problem} what={`load the client application ${clientId}`} />
        <Link to={{ page: "clients" }}>Back to the client applications</Link>
      </main>
    );
  }
  const { client } = state;
  return (
    <main>
      <p className="breadcrumb">
        <Link to={{ page: "clients" }}>Client applications</Link> /
      </p>
      <h1>
        {client.displayName} <code className="subtle">{client.clientId}</code>
      </h1>
      <nav className="tabs" aria-label="Client application">
        {clientTabs.map((name) => (
          <Link key={name} to={{ page: "client", clientId, tab: name }} className={name === tab ? "tab current" : "tab"}>
            <span aria-current={name === tab ? "page" : undefined}>{tabNames[name]}</span>
          </Link>
        ))}
      </nav>
      <section className="tab-panel" aria-label={tabNames[tab]}>
        {tab === "settings" && <SettingsTab loaded={state} onSaved={(loaded) => setState({ status: "loaded", ...loaded })} />}
        {tab === "credentials" && <CredentialsTab loaded={state} onChanged={reload} />}
        {tab === "apikeys" && <ApiKeysTab clientId={clientId} />}
        {tab === "activity" && <ActivityTab clientId={clientId} />}
        {tab === "history" && <HistoryTab clientId={clientId} createdOn={client.createdOn} />}
        {tab === "registration" && <RegistrationTab clientId={clientId} registration={client.registration} />}
      </section>
    </main>
  );
};
