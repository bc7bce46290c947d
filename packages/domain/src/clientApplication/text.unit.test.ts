import { describe, it } from "vitest";
import { clientApplicationBuilders as b } from "../testing/index.js";

/*
 * Names a consent screen shows must read as what they are: no character that
 * reorders, hides or splits text. Each of these was accepted before.
 */
const deceptive: readonly (readonly [string, string])[] = [
  ["a C1 control (U+0085, next line)", "Acme\u0085Corp"],
  ["a C1 control (U+009B, CSI)", "Acme\u009B31m"],
  ["the line separator U+2028", "Acme\u2028Corp"],
  ["the paragraph separator U+2029", "Acme\u2029Corp"],
  ["a right-to-left override (U+202E)", "Acme \u202Eppa lliv"],
  ["a left-to-right embedding (U+202A)", "Acme\u202A"],
  ["a first-strong isolate (U+2068)", "Acme\u2068"],
  ["a pop directional isolate (U+2069)", "Acme\u2069"],
  ["a right-to-left mark (U+200F)", "Acme\u200F"],
  ["a zero-width space (U+200B)", "Ac\u200Bme"],
  ["a zero-width joiner (U+200D)", "Ac\u200Dme"],
  ["a word joiner (U+2060)", "Ac\u2060me"],
  ["a byte-order mark (U+FEFF)", "\uFEFFAcme"],
  ["a lone high surrogate", "Acme\uD800"],
  ["a lone low surrogate", "\uDC00Acme"],
];

describe("human-readable fields refuse characters that deceive a reader", () => {
  it.each(deceptive)("a display name with %s", (_, displayName) => {
    b.spec
      .given([])
      .when(b.register({ displayName }))
      .thenRejects("validation_failed", [{ field: "displayName", code: "invalid_characters" }]);
  });

  it.each(deceptive)("a description with %s", (_, description) => {
    b.spec
      .given([])
      .when(b.register({ description }))
      .thenRejects("validation_failed", [{ field: "description", code: "invalid_characters" }]);
  });

  it.each(deceptive)("an API key name with %s", (_, name) => {
    b.spec
      .given([b.registered()])
      .when(b.issueKey({ name }))
      .thenRejects("validation_failed", [{ field: "name", code: "invalid_characters" }]);
  });

  it.each(deceptive)("a display name changed to one with %s", (_, displayName) => {
    b.spec
      .given([b.registered()])
      .when(b.update({ displayName }))
      .thenRejects("validation_failed", [{ field: "displayName", code: "invalid_characters" }]);
  });

  it("keeps what people write: accents, scripts, emoji, and line breaks in a description", () => {
    b.spec
      .given([])
      .when(b.register({ displayName: "Café Münster 東京 🚀", description: "Syncs tasks.\n\tBoth ways." }))
      .thenAccepts();
  });
});
