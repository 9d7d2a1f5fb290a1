// The formatter's laws over generated constitutions in random layouts (few-shot sets included):
// fmt is idempotent, keeps every comment, and compile(fmt(x)) equals compile(x) with locations
// aside; `convert` to .charter, YAML and JSON compiles back to the same hash, its .charter already
// in fmt's layout.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileSource,
  formatSource,
  toCharterSource,
  toJson,
  toYaml,
} from "../../src/dsl/index.js";
import { generatedConstitution } from "./format-generate.js";
import { expectFormatLaws } from "./format-laws.js";

describe("formatter laws on generated constitutions", () => {
  it("hold for 300 seeded cases", () => {
    fc.assert(
      fc.property(generatedConstitution, (text) => {
        expectFormatLaws(text, "generated.charter", { compiles: true });
      }),
      { seed: 20261121, numRuns: 300 },
    );
  });
});

describe("convert laws on generated constitutions", () => {
  it("every format compiles back to the same hash, and .charter output is canonical, for 200 seeded cases", () => {
    fc.assert(
      fc.property(generatedConstitution, (text) => {
        const compiled = compileSource(text, { filename: "generated.charter" });
        const constitution = compiled.constitution;
        if (constitution === undefined) throw new Error("a generated constitution did not compile");
        // Warnings (a template without the no-change marker) stay: the same ones, nothing new.
        const codes = compiled.diagnostics.map((entry) => entry.code);
        const charter = toCharterSource(constitution);
        for (const [converted, filename] of [
          [charter, "back.charter"],
          [toYaml(constitution), "back.yaml"],
          [toJson(constitution), "back.json"],
        ] as const) {
          const back = compileSource(converted, { filename });
          expect(
            back.diagnostics.map((entry) => entry.code),
            filename,
          ).toEqual(codes);
          expect(back.constitution?.hash, filename).toBe(constitution.hash);
        }
        expect(formatSource(charter, "back.charter").changed).toBe(false);
      }),
      { seed: 20261201, numRuns: 200 },
    );
  });
});
