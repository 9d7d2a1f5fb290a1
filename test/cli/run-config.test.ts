// Settings precedence (constitution defaults < config file < flags) and config-file loading.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRunConfig, RunSettings } from "../../src/cli/run-config.js";
import { UsageError } from "../../src/errors.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "charter-config-"));
}

describe("loadRunConfig", () => {
  it("reads a YAML file found in the working directory, with the command's section overriding", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "charter.config.yaml"),
      "seed: 7\nrevisions: 2\nrevise:\n  revisions: 4\njudge:\n  principles: 3\nsurprise: 1\n",
    );
    const config = loadRunConfig({
      command: "revise",
      knownKeys: ["seed", "revisions"],
      cwd: dir,
      otherSections: ["judge"],
    });
    expect(config.path).toBe(join(dir, "charter.config.yaml"));
    expect(config.values).toEqual({ seed: 7, revisions: 4 });
    expect(config.ignored).toEqual(["surprise"]);
  });

  it("reads an explicit JSON file and reports a parse error naming it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), '{"seed": 3}');
    writeFileSync(join(dir, "bad.json"), "{seed");
    expect(
      loadRunConfig({ command: "revise", knownKeys: ["seed"], cwd: dir, file: "a.json" }).values,
    ).toEqual({ seed: 3 });
    expect(() =>
      loadRunConfig({ command: "revise", knownKeys: [], cwd: dir, file: "bad.json" }),
    ).toThrow(/bad\.json/);
    expect(() =>
      loadRunConfig({ command: "revise", knownKeys: [], cwd: dir, file: "missing.json" }),
    ).toThrow(UsageError);
  });

  it("returns no values when there is no config file", () => {
    expect(loadRunConfig({ command: "revise", knownKeys: ["seed"], cwd: tempDir() })).toEqual({
      values: {},
      ignored: [],
    });
  });
});

describe("RunSettings", () => {
  const config = {
    path: "/x/charter.config.json",
    values: { revisions: 2, sampling: "without-replacement" },
    ignored: [],
  };

  it("takes flags over config over constitution defaults over the fallback", () => {
    const settings = new RunSettings({ revisions: "5" }, config, {
      revisions: 3,
      seed: 11,
      temperature: 0.5,
    });
    expect(settings.number("revisions", 1)).toBe(5);
    expect(settings.origin("revisions")).toBe("flag");
    const noFlag = new RunSettings({}, config, { revisions: 3, seed: 11 });
    expect(noFlag.number("revisions", 1)).toBe(2);
    expect(noFlag.origin("revisions")).toBe("config");
    expect(noFlag.number("seed", 0)).toBe(11);
    expect(noFlag.origin("seed")).toBe("constitution");
    expect(noFlag.number("concurrency", 8)).toBe(8);
    expect(noFlag.origin("concurrency")).toBe("default");
  });

  it("checks types and choices with a message naming the source", () => {
    const settings = new RunSettings({ revisions: "two" }, config, { temperature: "hot" });
    expect(() => settings.number("revisions", 1)).toThrow(/--revisions must be a number/);
    expect(() => settings.number("temperature", 1)).toThrow(/constitution's defaults/);
    expect(() => settings.string("sampling", "with-replacement", ["with-replacement"])).toThrow(
      /'sampling' in \/x\/charter.config.json must be one of with-replacement/,
    );
    expect(() =>
      new RunSettings({ revisions: "1.5" }, config).number("revisions", 1, { integer: true }),
    ).toThrow(/whole number/);
    expect(() =>
      new RunSettings({ revisions: "-1" }, config).number("revisions", 1, { min: 0 }),
    ).toThrow(/at least 0/);
  });

  it("reads booleans from flags, config and strings", () => {
    const settings = new RunSettings(
      { recheck: true },
      { values: { quiet: "false" }, ignored: [] },
    );
    expect(settings.boolean("recheck", false)).toBe(true);
    expect(settings.boolean("quiet", true)).toBe(false);
    expect(settings.boolean("other", true)).toBe(true);
  });
});
