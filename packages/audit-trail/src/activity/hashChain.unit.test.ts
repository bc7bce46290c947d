import { describe, expect, it } from "vitest";
import { canonicalJson, chainHash, genesisHash } from "./hashChain.js";

describe("canonicalJson", () => {
  it("writes the same text whatever order the keys were added in", () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
    expect(canonicalJson({ c: 3, a: 2, b: 1 })).toBe(canonicalJson({ a: 2, b: 1, c: 3 }));
  });

  it("sorts the keys of nested objects too, also inside arrays", () => {
    expect(canonicalJson({ z: { y: 1, x: { w: true, v: null } }, list: [{ b: 1, a: 2 }] })).toBe(
      '{"list":[{"a":2,"b":1}],"z":{"x":{"v":null,"w":true},"y":1}}',
    );
  });

  it("keeps the order of arrays, which is meaningful", () => {
    expect(canonicalJson(["b", "a", 2, 1])).toBe('["b","a",2,1]');
    expect(canonicalJson({ scopes: ["write", "read"] })).not.toBe(canonicalJson({ scopes: ["read", "write"] }));
  });

  it("writes scalars as JSON does, escapes included", () => {
    expect(canonicalJson('a "quoted" \u2026 line\n')).toBe(JSON.stringify('a "quoted" \u2026 line\n'));
    expect([canonicalJson(0), canonicalJson(-1.5), canonicalJson(true), canonicalJson(null)]).toEqual(["0", "-1.5", "true", "null"]);
    expect(canonicalJson({ 'key with "quotes"': 1 })).toBe('{"key with \\"quotes\\"":1}');
  });

  it("treats undefined as storing the entry as JSON does: left out of objects, null in arrays", () => {
    const content = { a: 1, b: undefined, list: [1, undefined, { c: undefined }] };
    expect(canonicalJson(content)).toBe('{"a":1,"list":[1,null,{}]}');
    expect(canonicalJson(content)).toBe(canonicalJson(JSON.parse(JSON.stringify(content))));
  });

  it("reads the same as the stored JSON it was made from", () => {
    const entry = { sequence: 3, changes: { scopes: { before: ["a"], after: ["a", "b"] } }, sourceIp: null };
    expect(canonicalJson(JSON.parse(JSON.stringify(entry)))).toBe(canonicalJson(entry));
  });

  it("writes the same text as the chains already stored were hashed over: integer-like keys, case and non-ASCII keys sort by code unit", () => {
    const entry = {
      sequence: 7,
      eventType: "ClientUpdated",
      "10": "ten",
      "9": "nine",
      Zed: 1,
      _under: 2,
      é: 3,
      changes: { redirectUris: { before: ["https://a.example/cb"], after: [] }, note: { before: null, after: 'say "hi"\n' } },
      sourceIp: null,
      skipped: undefined,
      list: [1, undefined, { b: 2, a: 1 }],
    };
    expect(canonicalJson(entry)).toBe(
      '{"10":"ten","9":"nine","Zed":1,"_under":2,"changes":{"note":{"after":"say \\"hi\\"\\n","before":null},' +
        '"redirectUris":{"after":[],"before":["https://a.example/cb"]}},"eventType":"ClientUpdated","list":[1,null,{"a":1,"b":2}],' +
        '"sequence":7,"sourceIp":null,"é":3}',
    );
    // The hash the implementation before this one gave: a stored chain still verifies.
    expect(chainHash(genesisHash, entry)).toBe("c2df03313f28c6d94ffce0a686f8bc47f6f6c363c7d5a40a69e267d3c2780f64");
  });
});

describe("chainHash", () => {
  it("is SHA-256 in hex, the same for the same content in any key order", () => {
    const hash = chainHash(genesisHash, { a: 1, b: [1, 2] });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(genesisHash, { b: [1, 2], a: 1 })).toBe(hash);
  });

  it("changes with the previous hash and with any change of content", () => {
    const hash = chainHash(genesisHash, { a: 1, b: [1, 2] });
    expect(chainHash("f".repeat(64), { a: 1, b: [1, 2] })).not.toBe(hash);
    expect(chainHash(genesisHash, { a: 1, b: [2, 1] })).not.toBe(hash);
    expect(chainHash(genesisHash, { a: "1", b: [1, 2] })).not.toBe(hash);
  });
});
