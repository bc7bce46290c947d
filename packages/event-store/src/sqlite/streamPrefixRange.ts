const maxCodePoint = 0x10ffff;
const firstSurrogate = 0xd800;
const afterSurrogates = 0xe000;

/**
 * The names that start with `prefix` form the half-open range [`from`, `to`), which an
 * index on the name can serve; LIKE cannot be used since it treats `_` and `%` as wildcards.
 * SQLite compares TEXT as UTF-8 bytes, and UTF-8 byte order is code point order, so `to`
 * is the prefix with its last code point incremented (carrying past U+10FFFF and skipping
 * the surrogates, which UTF-8 cannot encode). `to` is undefined when nothing sorts after
 * every name with the prefix.
 */
export const streamPrefixRange = (prefix: string): Readonly<{ from: string; to: string | undefined }> => {
  const codePoints = Array.from(prefix, (character) => character.codePointAt(0) ?? 0);
  for (let index = codePoints.length - 1; index >= 0; index--) {
    const codePoint = codePoints[index] ?? maxCodePoint;
    if (codePoint < maxCodePoint) {
      const next = codePoint + 1 === firstSurrogate ? afterSurrogates : codePoint + 1;
      return { from: prefix, to: String.fromCodePoint(...codePoints.slice(0, index), next) };
    }
  }
  return { from: prefix, to: undefined };
};
