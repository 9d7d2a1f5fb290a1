// The content hash is a promise to users (a run folder names the constitution it used, a resumed
// run checks it): canonical JSON orders keys and drops positional ones, and the shipped
// constitutions keep their hashes whatever the compiler's insides become.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { benchSources } from "../../bench/compile.bench.js";
import { compileFile, compileSource } from "../../src/dsl/index.js";

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
});
