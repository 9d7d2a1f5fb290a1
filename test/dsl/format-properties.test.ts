// The formatter's laws over generated constitutions in random layouts: fmt is idempotent,
// keeps every comment, and compile(fmt(x)) equals compile(x) with locations aside.
import fc from "fast-check";
import { describe, it } from "vitest";
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
