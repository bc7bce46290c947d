import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { onCatchingUp, type Problem } from "../api/client.js";
import { navigate, pathOf, type Route } from "../router.js";

export const Link = ({ to, children, className }: { to: Route; children: ReactNode; className?: string }) => (
  <a
    href={pathOf(to)}
    className={className}
    onClick={(event: MouseEvent<HTMLAnchorElement>) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(to);
    }}
  >
    {children}
  </a>
);

export const Loading = ({ what }: { what: string }) => (
  <p className="status" role="status">
    Loading {what}…
  </p>
);

export const ErrorMessage = ({ problem, what }: { problem: Problem | string; what: string }) => (
  <div className="error" role="alert">
    <strong>Could not {what}.</strong> {typeof problem === "string" ? problem : `${problem.title}: ${problem.detail}`}
  </div>
);

/**
 * A secret or key shown once: kept only in the state of the component showing it, so it goes when the screen does.
 * It takes the focus when it appears, since the form that asked for it is gone: the next Tab reaches its copy button.
 */
export const OneTimeSecret = ({ label, value }: { label: string; value: string }) => {
  const [copied, setCopied] = useState(false);
  const section = useRef<HTMLElement>(null);
  useEffect(() => section.current?.focus(), []);
  return (
    <section className="secret" aria-label={label} tabIndex={-1} ref={section}>
      <h3>{label}</h3>
      <p>
        <strong>Copy it now and keep it safe: it will not be shown again.</strong>
      </p>
      <div className="secret-row">
        <code data-testid="one-time-secret">{value}</code>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard.writeText(value).then(() => setCopied(true));
          }}
        >
          Copy {label.toLowerCase()}
        </button>
      </div>
      <p role="status">{copied ? "Copied to the clipboard." : ""}</p>
    </section>
  );
};

export const CatchingUpBanner = () => {
  const [retryIn, setRetryIn] = useState<number | undefined>(undefined);
  useEffect(() => onCatchingUp(setRetryIn), []);
  return retryIn === undefined ? null : (
    <div className="banner" role="status">
      The service is catching up, retrying in {retryIn} s…
    </div>
  );
};

export const formatTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : "—");

export const showValue = (value: unknown): string =>
  value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value);

/** One activity entry's changes, each field as before → after. */
export const Changes = ({ changes }: { changes: Record<string, { before: unknown; after: unknown }> }) => {
  const fields = Object.entries(changes);
  if (fields.length === 0) return null;
  return (
    <dl className="changes">
      {fields.map(([field, change]) => (
        <div key={field}>
          <dt>{field}</dt>
          <dd>
            <span className="before">{showValue(change.before)}</span> → <span className="after">{showValue(change.after)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
};
