import { useEffect, useState } from "react";
import { api, asProblem, type ActivityEntry, type ClientApplication, type Problem } from "../../api/client.js";
import { Changes, ErrorMessage, Loading, formatTime } from "../../components/common.js";

type Registration = NonNullable<ClientApplication["registration"]>;
type Metadata = Registration["metadata"];

const listed = (values: readonly string[]): string => (values.length === 0 ? "—" : values.join(", "));

/*
 * Each RFC 7591 §2 member under the name the RFC gives it, so an admin can compare it with what the
 * client sent. URIs are shown as text, not followed: a self-registered client chose them.
 */
const metadataFacts: readonly (readonly [string, (metadata: Metadata) => string])[] = [
  ["Client URI (client_uri)", (metadata) => metadata.clientUri ?? "—"],
  ["Logo URI (logo_uri)", (metadata) => metadata.logoUri ?? "—"],
  ["Terms of service (tos_uri)", (metadata) => metadata.tosUri ?? "—"],
  ["Privacy policy (policy_uri)", (metadata) => metadata.policyUri ?? "—"],
  ["Contacts (contacts)", (metadata) => listed(metadata.contacts)],
  ["Token endpoint auth method (token_endpoint_auth_method)", (metadata) => metadata.tokenEndpointAuthMethod],
  ["Response types (response_types)", (metadata) => listed(metadata.responseTypes)],
  ["Software id (software_id)", (metadata) => metadata.softwareId ?? "—"],
  ["Software version (software_version)", (metadata) => metadata.softwareVersion ?? "—"],
  ["JWK Set URI (jwks_uri)", (metadata) => metadata.jwksUri ?? "—"],
  ["JWK Set (jwks)", (metadata) => (metadata.jwks ? JSON.stringify(metadata.jwks) : "—")],
];

const RegistrationFacts = ({ registration }: { registration: Registration }) => (
  <dl className="facts" aria-label="Registration metadata">
    <div className="fact">
      <dt>Registration access token</dt>
      <dd>
        <code>{registration.tokenFingerprint}</code>, issued {formatTime(registration.tokenIssuedOn)}
      </dd>
    </div>
    {metadataFacts.map(([label, show]) => (
      <div key={label} className="fact">
        <dt>{label}</dt>
        <dd>
          <code>{show(registration.metadata)}</code>
        </dd>
      </div>
    ))}
  </dl>
);

/**
 * An RFC 7591 client's registration as the admin resource carries it (the token only by its
 * fingerprint), and what the activity stream records of it: the registration and each change of
 * its metadata through RFC 7592.
 */
export const RegistrationTab = ({ clientId, registration }: { clientId: string; registration: Registration | null }) => {
  const [entries, setEntries] = useState<readonly ActivityEntry[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | string | undefined>(undefined);
  useEffect(() => {
    if (registration === null) return;
    void api
      .GET("/api/v1/clientapplications/{clientId}/activity_stream", { params: { path: { clientId }, query: { pageSize: 500 } } })
      .then(({ data, error, response }) => {
        if (data)
          setEntries(data.filter((entry) => "registrationToken" in entry.changes || entry.eventType === "RegistrationMetadataReplaced"));
        else setProblem(asProblem(error) ?? `the service answered ${response.status}`);
      });
  }, [clientId, registration]);
  if (registration === null)
    return <p className="empty">This client was registered by an administrator, not through RFC 7591 dynamic registration.</p>;
  return (
    <>
      <h2>Dynamic registration (RFC 7591)</h2>
      <RegistrationFacts registration={registration} />
      <h3>Registration history</h3>
      {problem && <ErrorMessage problem={problem} what="load the registration history" />}
      {!problem && entries === undefined && <Loading what="the registration history" />}
      {entries && (
        <ol className="activity">
          {entries.map((entry) => (
            <li key={entry.sequence}>
              <strong>{entry.operation}</strong> <span className="subtle">{formatTime(entry.time)}</span>
              <Changes changes={entry.changes} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
};
