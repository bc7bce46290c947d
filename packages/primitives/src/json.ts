/** A value that survives `JSON.stringify` and `JSON.parse` unchanged: what events, documents and messages hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type JsonObject = { readonly [key: string]: JsonValue };
