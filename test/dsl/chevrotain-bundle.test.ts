// The dsl loads chevrotain from the one-file build its package ships (start-up speed): that build
// must be the package's own, exporting what the package entry exports at the same version.
import * as entry from "chevrotain";
import { describe, expect, it } from "vitest";
import { CHEVROTAIN_BUNDLE } from "../../src/dsl/syntax/chevrotain.js";

describe("chevrotain bundle", () => {
  it("exports the same names and VERSION as the package entry", async () => {
    const bundle = (await import(CHEVROTAIN_BUNDLE)) as typeof entry;
    expect(CHEVROTAIN_BUNDLE).toMatch(/\/chevrotain\/lib\/chevrotain\.mjs$/);
    expect(Object.keys(bundle).sort()).toEqual(Object.keys(entry).sort());
    expect(bundle.VERSION).toBe(entry.VERSION);
  });
});
