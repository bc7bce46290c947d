import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, asProblem, fieldErrors, type ApiKey, type Problem, type Scope } from "../../api/client.js";
import { ErrorMessage, Loading, OneTimeSecret, formatTime } from "../../components/common.js";

const scopes: readonly Scope[] = ["clientapps:read", "clientapps:write", "clientapps:register", "admin"];

export const ApiKeysTab = ({ clientId }: { clientId: string }) => {
  const [keys, setKeys] = useState<readonly ApiKey[] | undefined>(undefined);
  const [listProblem, setListProblem] = useState<Problem | string | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<readonly Scope[]>(["clientapps:read"]);
  const [expiresOn, setExpiresOn] = useState("");
  const [issued, setIssued] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/v1/clientapplications/{clientId}/apikeys", { params: { path: { clientId } } });
    if (data) setKeys(data);
    else setListProblem(asProblem(error) ?? `the service answered ${response.status}`);
  }, [clientId]);
  useEffect(() => void load(), [load]);

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api.POST("/api/v1/clientapplications/{clientId}/apikeys", {
      params: { path: { clientId }, header: { "Idempotency-Key": crypto.randomUUID() } },
      body: { name, scopes: [...chosen], expiresOn: expiresOn ? new Date(expiresOn).toISOString() : null },
    });
    if (data) {
      setIssued(data.key);
      setAdding(false);
      setName("");
      await load();
    } else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };

  const revoke = async (keyId: string) => {
    const { error, response } = await api.DELETE("/api/v1/clientapplications/{clientId}/apikeys/{keyId}", {
      params: { path: { clientId, keyId } },
    });
    setConfirming(undefined);
    if (response.ok) await load();
    else setListProblem(asProblem(error) ?? `the service answered ${response.status}`);
  };
  const errors = fieldErrors(typeof problem === "object" ? problem : undefined);

  return (
    <>
      <div className="title-row">
        <h2>API keys</h2>
        <button type="button" aria-label="Add an API key" onClick={() => setAdding(true)}>
          +
        </button>
      </div>
      <p className="help">For an integration without user login: the key authenticates this API with the scopes you choose.</p>
      {issued && <OneTimeSecret label="API key" value={issued} />}
      {adding && (
        <form onSubmit={(event) => void issue(event)} className="panel" aria-label="New API key">
          <label htmlFor="key-name">Name</label>
          {/* The form opens where + was pressed: the name is what to type next. */}
          <input id="key-name" autoFocus value={name} required onChange={(event) => setName(event.target.value)} />
          {errors.name && <p className="field-error">{errors.name}</p>}
          <fieldset>
            <legend>Scopes</legend>
            {scopes.map((scope) => (
              <label key={scope} className="inline">
                <input
                  type="checkbox"
                  checked={chosen.includes(scope)}
                  onChange={(event) => setChosen(event.target.checked ? [...chosen, scope] : chosen.filter((item) => item !== scope))}
                />{" "}
                {scope}
              </label>
            ))}
          </fieldset>
          <label htmlFor="key-expiry">Expires (optional)</label>
          <input id="key-expiry" type="datetime-local" value={expiresOn} onChange={(event) => setExpiresOn(event.target.value)} />
          {problem && <ErrorMessage problem={problem} what="add the API key" />}
          <div className="actions">
            <button type="submit">Add key</button>
            <button type="button" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {listProblem && <ErrorMessage problem={listProblem} what="load or change the API keys" />}
      {keys === undefined && !listProblem && <Loading what="the API keys" />}
      {keys?.length === 0 && <p className="empty">No API keys yet. Add one with +.</p>}
      {keys && keys.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Scopes</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.fingerprint}</code>
                </td>
                <td>{key.scopes.join(", ")}</td>
                <td>{key.status}</td>
                <td>{formatTime(key.createdOn)}</td>
                <td>{formatTime(key.expiresOn)}</td>
                <td>
                  {key.status === "active" &&
                    (confirming === key.id ? (
                      <span role="group" aria-label={`Revoke ${key.name}?`}>
                        Revoke {key.name}? It stops working at once.{" "}
                        <button type="button" onClick={() => void revoke(key.id)}>
                          Yes, revoke
                        </button>{" "}
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Keep it
                        </button>
                      </span>
                    ) : (
                      <button type="button" onClick={() => setConfirming(key.id)}>
                        Revoke {key.name}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
