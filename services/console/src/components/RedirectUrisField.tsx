import { redirectUriProblem } from "@clientapps/domain";

/** The redirect URLs of a client, each checked as it is typed with the rule the server applies. */
export const RedirectUrisField = ({
  uris,
  onChange,
  serverErrors,
}: {
  uris: readonly string[];
  onChange: (uris: string[]) => void;
  serverErrors: Record<string, string>;
}) => (
  <fieldset>
    <legend>Redirect URLs</legend>
    <p className="help" id="redirect-help">
      Absolute URLs without a fragment, compared exactly. Use <code>https://</code> for web apps. Native apps (RFC 8252) may use{" "}
      <code>http://127.0.0.1:port/path</code> or <code>http://[::1]:port/path</code> (the loopback IP literal, not <code>localhost</code>
      ), or a private-use scheme in reverse-domain form such as <code>com.example.app:/callback</code>.
    </p>
    {serverErrors.redirectUris && (
      <p className="field-error" role="alert">
        {serverErrors.redirectUris}
      </p>
    )}
    {uris.map((uri, index) => {
      const problem = uri === "" ? undefined : redirectUriProblem(uri)?.message;
      const error = problem ?? serverErrors[`redirectUris/${index}`];
      const id = `redirect-uri-${index}`;
      return (
        <div className="uri-row" key={index}>
          <label htmlFor={id}>Redirect URL {index + 1}</label>
          <input
            id={id}
            type="text"
            inputMode="url"
            value={uri}
            aria-invalid={error !== undefined}
            aria-describedby={error ? `${id}-error` : "redirect-help"}
            onChange={(event) => onChange(uris.map((value, at) => (at === index ? event.target.value : value)))}
          />
          <button
            type="button"
            aria-label={`Remove redirect URL ${index + 1}`}
            onClick={() => onChange(uris.filter((_, at) => at !== index))}
          >
            Remove
          </button>
          {error && (
            <p className="field-error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
      );
    })}
    <button type="button" onClick={() => onChange([...uris, ""])}>
      Add redirect URL
    </button>
  </fieldset>
);

/** Whether any typed URL breaks the server's rule (an empty row is ignored: it is not sent). */
export const hasRedirectProblem = (uris: readonly string[]): boolean =>
  uris.some((uri) => uri !== "" && redirectUriProblem(uri) !== undefined);
