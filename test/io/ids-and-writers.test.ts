import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  AppendFile,
  JsonLinesWriter,
  canonicalJson,
  stableId,
  writeJsonAtomic,
} from "../../src/io/index.js";

const dir = mkdtempSync(join(tmpdir(), "charter-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("canonicalJson and stableId", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe(
      '{"a":[2,{"c":4,"d":3}],"b":1}',
    );
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(JSON.parse('{"__proto__":1,"a":2}'))).toBe('{"__proto__":1,"a":2}');
  });

  it("gives equal ids to equal content whatever the key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(stableId(reversed)).toBe(stableId(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(stableId({ prompt: "Hi" })).toMatch(/^[0-9a-f]{16}$/);
    expect(stableId({ prompt: "Hi" })).not.toBe(stableId({ prompt: "Hi!" }));
  });
});

describe("append-only writers", () => {
  it("appends lines, tracks the size in bytes and truncates back", () => {
    const path = join(dir, "out.jsonl");
    const writer = JsonLinesWriter.open(path);
    expect(writer.write({ a: "é" })).toBe(Buffer.byteLength('{"a":"é"}\n'));
    const size = writer.size;
    writer.writeAll([{ b: 1 }, { c: 2 }]);
    writer.close();
    expect(readFileSync(path, "utf8")).toBe('{"a":"é"}\n{"b":1}\n{"c":2}\n');
    const file = AppendFile.open(path, size);
    expect(file.size).toBe(size);
    file.append("x\n");
    file.sync();
    file.close();
    expect(readFileSync(path, "utf8")).toBe('{"a":"é"}\nx\n');
    expect(() => file.append("y")).toThrow(/closed/);
  });

  it("writes JSON files atomically", () => {
    const path = join(dir, "stats.json");
    writeJsonAtomic(path, { b: 1 });
    writeJsonAtomic(path, { a: 2 });
    expect(readFileSync(path, "utf8")).toBe('{\n  "a": 2\n}\n');
  });
});
