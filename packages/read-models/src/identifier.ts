/**
 * Collection and field names end up where bound parameters cannot go: inside SQL
 * text (table names, index names, JSON paths) and as MongoDB collection names and
 * document paths (where a dot descends and a leading `$` names an operator). So the
 * port accepts only plain identifiers, and every adapter refuses the rest before
 * building anything from them.
 */
const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;

export const assertIdentifier = (kind: "collection" | "field", name: unknown): string => {
  if (typeof name !== "string" || !identifier.test(name)) {
    throw new RangeError(`Invalid ${kind} name ${JSON.stringify(name)}: use letters, digits and underscores, starting with a letter.`);
  }
  return name;
};
