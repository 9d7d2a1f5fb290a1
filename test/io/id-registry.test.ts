// The compact duplicate-id registry: exact hashing, growth, first lines, collisions, memory.
import { describe, expect, it } from "vitest";
import { IdRegistry, fnv1a64, rowAtLine, type IdHash } from "../../src/io/index.js";

/** Reference 64-bit FNV-1a over the UTF-8 bytes, in BigInt. */
function referenceFnv(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8"))
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash;
}

function fnv(text: string): bigint {
  const out = new Uint32Array(2);
  fnv1a64(text, out);
  return (BigInt(out[0] ?? 0) << 32n) | BigInt(out[1] ?? 0);
}

/** Every id hashes alike: each add after the first is a collision to confirm. */
const sameHash: IdHash = (_id, out) => {
  out[0] = 7;
  out[1] = 7;
};

describe("fnv1a64", () => {
  it("is 64-bit FNV-1a over the UTF-8 bytes, for ASCII, accents, CJK, emoji and lone surrogates", () => {
    expect(fnv("")).toBe(0xcbf29ce484222325n);
    expect(fnv("a")).toBe(0xaf63dc4c8601ec8cn);
    for (const text of ["foobar", "id-123456", "héllo", "日本語", "😀x", "\ud800lone", "x\udc00"])
      expect(fnv(text)).toBe(referenceFnv(text));
  });
});

describe("IdRegistry", () => {
  it("holds many distinct ids, grows by doubling and finds each repeat's first line", () => {
    const registry = new IdRegistry({ initialCapacity: 16 });
    const start = registry.byteLength;
    let matches = 0;
    for (let i = 0; i < 100_000; i++) if (registry.add(`id-${i}`, i + 1) !== undefined) matches++;
    expect(matches).toBe(0);
    expect(registry.size).toBe(100_000);
    expect(registry.byteLength).toBeGreaterThan(start);
    // Power-of-two capacity, at most 3/4 full: 16 to 32 bytes per id.
    expect(registry.byteLength / registry.size).toBeLessThanOrEqual(32);
    for (const i of [0, 1, 4_095, 65_536, 99_999])
      expect(registry.add(`id-${i}`, 200_000)).toBe(i + 1);
    expect(registry.size).toBe(100_000);
  });

  it("confirms a real duplicate with the earlier row's id", async () => {
    const registry = new IdRegistry();
    const ids = new Map([[3, "x"]]);
    registry.add("x", 3);
    expect(registry.add("x", 9)).toBe(3);
    expect(await registry.confirm("x", 9, async (line) => ids.get(line))).toBe(3);
  });

  it("does not report a hash collision, records the id, and still finds later repeats", async () => {
    const registry = new IdRegistry({ hash: sameHash, initialCapacity: 16 });
    const ids = new Map<number, string>();
    const idAt = async (line: number) => ids.get(line);
    const add = async (id: string, line: number) => {
      const match = registry.add(id, line);
      const first = match === undefined ? undefined : await registry.confirm(id, line, idAt);
      if (first === undefined) ids.set(line, id);
      return first;
    };
    expect(await add("a", 1)).toBeUndefined();
    expect(await add("b", 2)).toBeUndefined(); // a collision with line 1, not a duplicate
    expect(registry.size).toBe(2);
    // Enough colliding ids to grow the table several times.
    for (let i = 0; i < 60; i++) expect(await add(`c${i}`, 10 + i)).toBeUndefined();
    expect(await add("b", 100)).toBe(2);
    expect(await add("c42", 101)).toBe(52);
    expect(await add("a", 102)).toBe(1);
    expect(registry.size).toBe(62);
  });

  it("refuses line numbers that cannot be stored", () => {
    const registry = new IdRegistry();
    expect(() => registry.add("x", 0)).toThrow(RangeError);
    expect(() => registry.add("y", 2 ** 32)).toThrow(RangeError);
    expect(registry.size).toBe(0);
  });

  it("keeps a million short ids in under 40 MB", () => {
    const registry = new IdRegistry();
    for (let i = 0; i < 1_000_000; i++) registry.add(i.toString(36), i + 1);
    expect(registry.size).toBe(1_000_000);
    expect(registry.byteLength).toBeLessThan(40 * 1024 * 1024);
    expect(registry.add((123_456).toString(36), 2_000_000)).toBe(123_457);
  });
});

describe("rowAtLine", () => {
  it("returns the row with that line number and reads no further", async () => {
    let read = 0;
    async function* rows() {
      for (const line of [1, 3, 4, 8, 9]) {
        read += 1;
        yield { line, text: `row ${line}` };
      }
    }
    expect(await rowAtLine(rows(), 4)).toEqual({ line: 4, text: "row 4" });
    expect(read).toBe(3);
    read = 0;
    expect(await rowAtLine(rows(), 5)).toBeUndefined();
    expect(read).toBe(4);
    expect(await rowAtLine(rows(), 50)).toBeUndefined();
  });
});
