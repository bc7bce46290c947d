import { useEffect, useState } from "react";
import { api, asProblem, nextCursor, type ClientApplication, type Problem } from "../api/client.js";
import { ErrorMessage, Link, Loading, formatTime } from "../components/common.js";

type Filters = Readonly<{ q: string; kind: "" | "true" | "false"; active: "" | "true" | "false" }>;
type State =
  | Readonly<{ status: "loading" }>
  | Readonly<{ status: "error"; problem: Problem | string }>
  | Readonly<{ status: "loaded"; items: readonly ClientApplication[]; next: string | undefined }>;

export const ClientList = () => {
  const [filters, setFilters] = useState<Filters>({ q: "", kind: "", active: "" });
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([undefined]);
  const [state, setState] = useState<State>({ status: "loading" });
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    const abort = new AbortController();
    setState({ status: "loading" });
    const query = {
      pageSize: 20,
      ...(cursor ? { cursor } : {}),
      ...(filters.q ? { q: filters.q } : {}),
      ...(filters.kind ? { isConfidential: filters.kind } : {}),
      ...(filters.active ? { isActive: filters.active } : {}),
    };
    const timer = setTimeout(() => {
      api
        .GET("/api/v1/clientapplications", { params: { query }, signal: abort.signal })
        .then(({ data, error, response }) => {
          if (data) setState({ status: "loaded", items: data, next: nextCursor(response) });
          else setState({ status: "error", problem: asProblem(error) ?? `the service answered ${response.status}` });
        })
        .catch(() => {
          if (!abort.signal.aborted) setState({ status: "error", problem: "the service could not be reached" });
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [filters, cursor]);

  const change = (next: Partial<Filters>) => {
    setFilters({ ...filters, ...next });
    setCursors([undefined]);
  };
  const filtered = filters.q !== "" || filters.kind !== "" || filters.active !== "";

  return (
    <main>
      <div className="title-row">
        <h1>Client applications</h1>
        <Link to={{ page: "create" }} className="button">
          + API Client
        </Link>
      </div>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Name contains
          <input type="search" value={filters.q} onChange={(event) => change({ q: event.target.value })} />
        </label>
        <label>
          Type
          <select value={filters.kind} onChange={(event) => change({ kind: event.target.value as Filters["kind"] })}>
            <option value="">All</option>
            <option value="true">Confidential</option>
            <option value="false">Public</option>
          </select>
        </label>
        <label>
          Status
          <select value={filters.active} onChange={(event) => change({ active: event.target.value as Filters["active"] })}>
            <option value="">All</option>
            <option value="true">Active</option>
            <option value="false">Inactive</option>
          </select>
        </label>
      </form>
      {state.status === "loading" && <Loading what="client applications" />}
      {state.status === "error" && <ErrorMessage problem={state.problem} what="load the client applications" />}
      {state.status === "loaded" && state.items.length === 0 && (
        <div className="empty">
          {filtered ? (
            <p>No client application matches these filters.</p>
          ) : (
            <>
              <p>
                <strong>No client applications yet.</strong>
              </p>
              <p>
                Start with <Link to={{ page: "create" }}>+ API Client</Link>: give it a name, a unique client id and the redirect URL your
                integration signs users in with.
              </p>
            </>
          )}
        </div>
      )}
      {state.status === "loaded" && state.items.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Client applications</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((client) => (
              <tr key={client.clientId}>
                <td>
                  <Link to={{ page: "client", clientId: client.clientId, tab: "settings" }}>{client.displayName}</Link>
                </td>
                <td>
                  <code>{client.clientId}</code>
                </td>
                <td>{client.isConfidential ? "Confidential" : "Public"}</td>
                <td>{client.isActive ? "Active" : "Inactive"}</td>
                <td>{formatTime(client.updatedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="paging" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={state.status !== "loaded" || state.next === undefined}
          onClick={() => state.status === "loaded" && setCursors([...cursors, state.next])}
        >
          Next page
        </button>
      </nav>
    </main>
  );
};
