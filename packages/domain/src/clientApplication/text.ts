import type { FieldViolation } from "../decider.js";

/*
 * Characters no human-readable field may hold: they let a name look like another
 * on a consent screen, hide text, or break a log line. C0 and C1 controls and DEL
 * (a multi-line field keeps line feeds and tabs), the Unicode line and paragraph
 * separators, the bidirectional controls (embeddings, overrides, isolates and the
 * marks), zero-width characters and the byte-order mark. Lone surrogates are not
 * text at all and are checked apart.
 */
/**
 * The characters as the body of a regular-expression class, so that an API schema
 * can state the same rule as a pattern. `…OnOneLine` adds tab and line feed.
 */
export const deceptiveCharacterClass =
  "\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF";
export const deceptiveOnOneLineCharacterClass = `\\u0009\\u000A${deceptiveCharacterClass}`;

const deceptive = new RegExp(`[${deceptiveCharacterClass}]`, "u");
const deceptiveOnOneLine = /[\t\n]/;
/** A surrogate without its other half; read without the `u` flag, which would see pairs only. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextOptions = Readonly<{ multiline?: boolean }>;

/** Whether text holds a character that could deceive a reader, as {@link deceptive} lists them. */
export const hasDeceptiveCharacters = (value: string, options: TextOptions = {}): boolean =>
  loneSurrogate.test(value) || deceptive.test(value) || (!options.multiline && deceptiveOnOneLine.test(value));

/** The violation of a human-readable field that holds such a character, if it does. */
export const textViolations = (field: string, value: string, options: TextOptions = {}): FieldViolation[] =>
  hasDeceptiveCharacters(value, options)
    ? [
        {
          field,
          code: "invalid_characters",
          message: options.multiline
            ? "must not contain control, bidirectional or zero-width characters (line feeds and tabs are allowed)"
            : "must not contain control, line-separator, bidirectional or zero-width characters",
        },
      ]
    : [];

const lineBreaking = /[\t\n\r\u0085\u2028\u2029]/gu;
const deceptiveEverywhere = new RegExp(`[${deceptiveOnOneLineCharacterClass}]`, "gu");
const loneSurrogates = new RegExp(loneSurrogate.source, "g");

/**
 * Text someone else asserted (a claim in a token) made fit to show on one line: the
 * characters {@link hasDeceptiveCharacters} refuses are removed rather than refused
 * (those that break a line become a space), runs of spaces become one, and it is cut to `maxLength` code points (never inside a
 * surrogate pair). Nothing left: null.
 */
export const displayText = (value: string, maxLength: number): string | null => {
  const cleaned = value
    .replace(loneSurrogates, "")
    .replace(lineBreaking, " ")
    .replace(deceptiveEverywhere, "")
    .replace(/\s+/gu, " ")
    .trim();
  const cut = Array.from(cleaned).slice(0, maxLength).join("").trim();
  return cut === "" ? null : cut;
};
