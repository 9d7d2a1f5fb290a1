// The messages a new user meets in the first hour (issue 16), through the real `charter` process:
// each says what happened and what to do, with the exit code a script can rely on.
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCharter } from "./run-charter.js";

const REPO = new URL("../../", import.meta.url).pathname;
const HARMLESS = join(REPO, "constitutions", "harmless.charter");

/** A folder with the example prompts as prompts.jsonl. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-first-hour-"));
  copyFileSync(join(REPO, "examples", "prompts.jsonl"), join(dir, "prompts.jsonl"));
  return dir;
}

const OFFLINE = ["--model", "offline:rehearsal", "--quiet"];

describe("unknown options", () => {
  it("names the option, suggests the nearest one and prints the one-line usage, not the help", async () => {
    const run = await runCharter(["revise", "--revison", "2"], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter revise: unknown option --revison (did you mean --revisions?)\n" +
        "usage: charter revise --constitution FILE --prompts FILE --model MODEL --out DIR [options]\n" +
        "run 'charter revise --help' for every option\n",
    );
    expect(run.stdout).toBe("");
  });

  it("does the same for every command through the shared parser (judge's two usage lines)", async () => {
    const run = await runCharter(["judge", "--pairz", "x.jsonl"], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^charter judge: unknown option --pairz \(did you mean --pairs\?\)\n/,
    );
    expect(run.stderr).toContain("\n       charter judge --constitution FILE --prompts FILE");
    expect(run.stderr.split("\n").length).toBeLessThan(6);
  });

  it("says a flag needs a value, with the flag's own help line", async () => {
    const run = await runCharter(["revise", "--out"], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^charter revise: option --out needs a value\n {2}--out DIR +the run folder\n/,
    );
  });

  it("suggests the nearest command for an unknown one", async () => {
    const run = await runCharter(["revize"], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^charter: unknown command 'revize' \(did you mean 'revise'\?\)/);
  });
});

describe("help and missing required flags", () => {
  it("charter help revise prints revise's help", async () => {
    const run = await runCharter(["help", "revise"], workspace());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: charter revise --constitution FILE/);
    expect(run.stdout).toContain("--revisions N");
  });

  it("a missing required flag is named with its help line and the usage line", async () => {
    const dir = workspace();
    const run = await runCharter(
      ["revise", "--constitution", HARMLESS, "--out", "runs/x", ...OFFLINE],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^charter revise: missing --prompts\n {2}--prompts FILE +JSON Lines rows/,
    );
    expect(run.stderr).toContain("\nusage: charter revise --constitution FILE");
    expect(run.stderr.split("\n").length).toBeLessThan(6);
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });
});

describe("missing and unreadable input files", () => {
  it("names the flag and the file, suggests a near name, and creates no run folder", async () => {
    const dir = workspace();
    const run = await runCharter(
      [
        "revise",
        "--constitution",
        HARMLESS,
        "--prompts",
        "prompt.jsonl",
        "--out",
        "runs/x",
        ...OFFLINE,
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter revise: --prompts file not found: prompt.jsonl (did you mean prompts.jsonl?)\n",
    );
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it("a missing constitution is a missing file, not import-not-found", async () => {
    const dir = workspace();
    copyFileSync(HARMLESS, join(dir, "harmless.charter"));
    const run = await runCharter(
      [
        "revise",
        "--constitution",
        "harmles.charter",
        "--prompts",
        "prompts.jsonl",
        "--out",
        "runs/x",
        ...OFFLINE,
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter revise: --constitution file not found: harmles.charter (did you mean harmless.charter?)\n",
    );
    expect(run.stderr).not.toContain("import-not-found");
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it("charter check on a missing file says so", async () => {
    const run = await runCharter(["check", "nope.charter"], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter check: constitution file not found: nope.charter\n" +
        "shipped constitutions, usable by name from any folder: harmless, helpful-honest, showcase\n",
    );
    const near = await runCharter(["check", "harmles"], workspace());
    expect(near.stderr).toMatch(
      /^charter check: constitution file not found: harmles \(did you mean harmless\?\)/,
    );
    const byName = await runCharter(["check", "harmless"], workspace());
    expect(byName.code).toBe(0);
  });

  it("judge names --pairs, and a folder given as a file is named as one", async () => {
    const dir = workspace();
    const missing = await runCharter(
      [
        "judge",
        "--constitution",
        HARMLESS,
        "--pairs",
        "pairs.jsonl",
        "--judge",
        "offline:rehearsal",
        "--out",
        "runs/j",
      ],
      dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("charter judge: --pairs file not found: pairs.jsonl\n");
    const folder = await runCharter(
      [
        "judge",
        "--constitution",
        HARMLESS,
        "--pairs",
        ".",
        "--judge",
        "offline:rehearsal",
        "--out",
        "runs/j",
      ],
      dir,
    );
    expect(folder.stderr).toBe("charter judge: --pairs names a folder, not a file: .\n");
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it("a --config file that is missing is named with its flag", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "charter.config.json"), "{}");
    const run = await runCharter(["revise", "--config", "charter.config.jsn"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter revise: --config file not found: charter.config.jsn (did you mean charter.config.json?)\n",
    );
  });
});

describe("bad input rows", () => {
  const rows = '{"prompt":"hi"}\n{"promt":"there"}\n{bad\n';

  it("lists every bad row with a did-you-mean for a misspelt key, hints --skip-invalid, and creates nothing", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "bad.jsonl"), rows);
    const run = await runCharter(
      [
        "revise",
        "--constitution",
        HARMLESS,
        "--prompts",
        "bad.jsonl",
        "--out",
        "runs/b",
        ...OFFLINE,
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "charter revise: --prompts bad.jsonl has 2 invalid rows (1 valid); nothing was run:\n" +
        "  bad.jsonl:2: a row needs 'prompt' or 'messages' (the row has 'promt': did you mean 'prompt'?)\n" +
        "  bad.jsonl:3: not valid JSON: Expected property name or '}' in JSON at position 1\n" +
        "fix them, or add --skip-invalid to run the valid rows and list the skipped ones in the summary\n",
    );
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it("with --skip-invalid runs the valid rows and lists the skipped ones", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "bad.jsonl"), rows);
    const run = await runCharter(
      [
        "revise",
        "--constitution",
        HARMLESS,
        "--prompts",
        "bad.jsonl",
        "--out",
        "runs/b",
        "--skip-invalid",
        ...OFFLINE,
      ],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("revised 1 items");
    expect(run.stdout).toContain("skipped invalid rows (2):");
    expect(run.stdout).toContain("did you mean 'prompt'?");
  });

  it("judge rows get the same: a misspelt `rejectd` is named", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "pairs.jsonl"), '{"prompt":"hi","chosen":"a","rejectd":"b"}\n');
    const run = await runCharter(
      [
        "judge",
        "--constitution",
        HARMLESS,
        "--pairs",
        "pairs.jsonl",
        "--judge",
        "offline:rehearsal",
        "--out",
        "runs/j",
        "--quiet",
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "pairs.jsonl:1: expected both `chosen` and `rejected` (the row has 'rejectd': did you mean 'rejected'?)",
    );
    expect(run.stderr).toContain("add --skip-invalid");
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });
});

describe("what a run's summary says", () => {
  it("a rehearsal run says in one line that its verdicts are stand-ins (judge) or its replies (revise)", async () => {
    const dir = workspace();
    const judge = await runCharter(
      [
        "judge",
        "--constitution",
        HARMLESS,
        "--pairs",
        join(REPO, "examples", "pairs.jsonl"),
        "--judge",
        "offline:rehearsal",
        "--out",
        "runs/j",
        "--quiet",
      ],
      dir,
    );
    expect(judge.code).toBe(0);
    expect(judge.stdout).toMatch(
      /\nrehearsal: offline:rehearsal verdicts are stand-ins: .*; with a real --judge, consistency and agreement measure .*\n$/,
    );
    const revise = await runCharter(
      [
        "revise",
        "--constitution",
        HARMLESS,
        "--prompts",
        "prompts.jsonl",
        "--out",
        "runs/r",
        ...OFFLINE,
      ],
      dir,
    );
    expect(revise.stdout).toMatch(
      /\nrehearsal: offline:rehearsal replies, critiques and revisions are stand-ins: .*\n$/,
    );
  });

  it("a finished folder says so and how to start a fresh run", async () => {
    const dir = workspace();
    const args = [
      "revise",
      "--constitution",
      HARMLESS,
      "--prompts",
      "prompts.jsonl",
      "--out",
      "runs/r",
      ...OFFLINE,
    ];
    expect((await runCharter(args, dir)).code).toBe(0);
    const again = await runCharter(args, dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^\S+runs\/r is already complete: nothing was sent \(\d+ items; totals of the finished run below\)\n {2}to start a fresh run, give --out a new folder \(or delete this one\); to extend it, add rows at the end of the input and run again with --extend\n/,
    );
  });
});
