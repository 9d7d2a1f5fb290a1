// The content hash is a promise to users (a run folder names the constitution it used, a resumed
// run checks it): canonical JSON orders keys and drops positional ones, and the shipped
// constitutions keep their hashes whatever the compiler's insides become.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { benchSources } from "../../bench/compile.bench.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { contentHash } from "../../src/constitution/content-hash.js";
import type { CompiledConstitution } from "../../src/constitution/compiled.js";
import { compileFile, compileSource } from "../../src/dsl/index.js";
import { canonicalJson, sha256Hex } from "../../src/io/index.js";
import { generatedConstitution } from "../dsl/format-generate.js";
import { fuzzCases } from "../dsl/fuzz-harness.js";

/** The hash's definition: sha256 of canonicalJson without the positional keys. */
function definedHash(constitution: CompiledConstitution): string {
  const { hash: _hash, ...body } = constitution;
  return `sha256:${sha256Hex(canonicalJson(body, new Set(["location", "file", "imports", "hash"])))}`;
}

function constitutionFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : constitutionFiles(path);
    return /\.(charter|ya?ml|json)$/.test(name) ? [path] : [];
  });
}

describe("content hash", () => {
  it("keeps the shipped constitutions' hashes", async () => {
    const hashes: Record<string, string> = {};
    for (const name of ["harmless", "helpful-honest", "showcase"]) {
      const result = await compileFile(`constitutions/${name}.charter`);
      hashes[name] = result.constitution?.hash ?? "no constitution";
    }
    expect(hashes).toEqual({
      harmless: "sha256:b99352872444b40ecbd896136f9fdbf4da37576e77b2be7c058eea93cbed87e6",
      "helpful-honest": "sha256:b7bc35682e092f31eec12f5ad230c8c0b4e9ccc4c50ab41a76fb25a72b5e5674",
      showcase: "sha256:6fa3b5f8288d1f58228dbfc0f27b81a036fd5424931a39f51515b047724d03bc",
    });
  });

  // The compile bench's generated file (examples, `when`s, blocks): a faster compiler must give the
  // same constitution, locations included.
  it("compiles the 3,000-principle bench constitution to the same bytes", () => {
    const { charterText } = benchSources();
    const result = compileSource(charterText, { filename: "bench.charter" });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.hash).toBe(
      "sha256:ea1fcec2c085255ac35fc1e8cab655e3cf3828212d270f31aa78ba130c51f6b3",
    );
    expect(createHash("sha256").update(JSON.stringify(result.constitution)).digest("hex")).toBe(
      "d724d3dc028f9755659006bc93a32fc06a5ab73bf6c0ec1803a170b4f47abcaa",
    );
  });

  // contentHash writes principles in canonical key order itself for speed; whatever it compiles,
  // the digest must be the canonical JSON's.
  it("is the sha256 of the canonical JSON for every constitution it is given", () => {
    const compiled: CompiledConstitution[] = [];
    const take = (text: string, filename: string): void => {
      const constitution = compileSource(text, { filename }).constitution;
      if (constitution !== undefined) compiled.push(constitution);
    };
    for (const path of ["constitutions", "examples", "test"].flatMap(constitutionFiles))
      take(readFileSync(path, "utf8"), path);
    for (const fuzzCase of fuzzCases(11, 400)) take(fuzzCase.text, fuzzCase.filename);
    fc.sample(generatedConstitution, { seed: 7, numRuns: 300 }).forEach((text, index) =>
      take(text, `generated-${index}.charter`),
    );
    take(benchSources(300).charterText, "bench.charter");
    expect(compiled.length).toBeGreaterThan(300);
    expect(compiled.some((constitution) => constitution.principles.some((p) => p.when))).toBe(true);
    expect(compiled.some((c) => c.principles.some((p) => p.examples.length > 0))).toBe(true);
    for (const constitution of compiled) expect(constitution.hash).toBe(definedHash(constitution));
  });

  it("falls back to the canonical JSON for a shape it does not know", () => {
    const { constitution } = compileSource(
      'charter "a" version "1.0.0"\nprinciple p { critique "c" revise "r" }',
      { filename: "a.charter" },
    );
    if (constitution === undefined) throw new Error("does not compile");
    const [principle] = constitution.principles;
    const extra = {
      ...constitution,
      principles: [{ ...principle, extra: { b: 1, a: 2 } }],
    } as unknown as CompiledConstitution;
    const { hash: _hash, ...body } = extra;
    expect(contentHash(body)).toBe(definedHash(extra));
    expect(contentHash(body)).not.toBe(constitution.hash);
  });
});
