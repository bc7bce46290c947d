import { useEffect, useState } from "react";
import { api, asProblem, type ActivityEntry, type Problem } from "../../api/client.js";
import { Changes, ErrorMessage, Loading, formatTime } from "../../components/common.js";

/**
 * What the activity stream records of RFC 7591/7592 registration: whether the client registered
 * itself, and each change of its registration metadata. The metadata document itself is read only
 * with the client's registration access token (RFC 7592), which the console never holds.
 */
export const RegistrationTab = ({ clientId }: { clientId: string }) => {
  const [entries, setEntries] = useState<readonly ActivityEntry[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  useEffect(() => {
    void api
      .GET("/api/v1/clientapplications/{clientId}/activity_stream", { params: { path: { clientId }, query: { pageSize: 500 } } })
      .then(({ data, error, response }) => {
        if (data)
          setEntries(data.filter((entry) => "registrationToken" in entry.changes || entry.eventType === "RegistrationMetadataReplaced"));
        else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
      });
  }, [clientId]);
  if (problem) return <ErrorMessage problem={problem} what="load the registration" />;
  if (entries === undefined) return <Loading what="the registration" />;
  if (entries.length === 0)
    return <p className="empty">This client was registered by an administrator, not through RFC 7591 dynamic registration.</p>;
  return (
    <>
      <h2>Dynamic registration (RFC 7591)</h2>
      <ol className="activity">
        {entries.map((entry) => (
          <li key={entry.sequence}>
            <strong>{entry.operation}</strong> <span className="subtle">{formatTime(entry.time)}</span>
            <Changes changes={entry.changes} />
          </li>
        ))}
      </ol>
    </>
  );
};
