// `charter show`: a run's overview, one Phase 1 item's rounds with the diff marked, one round
// alone, a pair's verdicts, and clear errors for an unknown id or round.
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { markDiff } from "../../src/report/terminal-view.js";
import { captureIO } from "../cli/cli-io.js";
import { makeRunFixtures, type RunFixtures } from "./run-fixtures.js";

let runs: RunFixtures;
beforeAll(async () => {
  runs = await makeRunFixtures();
});

async function show(args: string[]) {
  const io = captureIO(runs.dir);
  const code = await main(["show", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("charter show", () => {
  it("prints the overview table without an id", async () => {
    const { code, out } = await show([runs.revise]);
    expect(code).toBe(0);
    expect(out).toMatch(/^revise \(revise\)\n/);
    expect(out).toMatch(/ {2}constitution +harmless 1\.0\.0 · sha256:/);
    expect(out).toMatch(/ {2}items +12 items · 12 done · 0 failed/);
    expect(out).toMatch(/ {2}tokens +[\d,]+ in · [\d,]+ out/);
    expect(out).toMatch(/principles used: /);
    expect(out).toMatch(/lockpick +\d+ (revised|no change)/);
  });

  it("lists failures with their reasons", async () => {
    const { out } = await show([runs.failed]);
    expect(out).toMatch(
      /failures \(1\):\n {4}down {2}provider-unavailable {2}server said 503 five times/,
    );
    expect(out).toMatch(/note: run status: complete-with-failures/);
  });

  it("prints one item's rounds with the revision's changes marked", async () => {
    const { code, out } = await show([runs.revise, "lockpick"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^lockpick · /);
    expect(out).toMatch(/first reply:\n {4}\[rehearsal\]/);
    expect(out).toMatch(/round 1 · [\w.-]+ · (revised|no-change)/);
    expect(out).toMatch(/\[-[^\]]+-\]/);
    expect(out).toMatch(/\{\+[^}]+\+\}/);
    expect(out).toMatch(/final reply:/);
  });

  it("prints one round with --round, and a rejected round with its rule", async () => {
    const { out } = await show([runs.failed, "ok", "--round", "1"]);
    expect(out).toMatch(/round 1 · tone · rejected/);
    expect(out).toMatch(/finish: revision: length/);
    expect(out).toMatch(/rejected by: no-forbidden/);
    expect(out).toMatch(/rule shouty \(flag on revision\): holds/);
    expect(out).not.toMatch(/first reply:/);
  });

  it("prints a pair's replies and each principle's verdict per order", async () => {
    const { out } = await show([runs.judge, "tired:0-1"]);
    expect(out).toMatch(/chosen \(40 words\):/);
    expect(out).toMatch(/rejected \(9 words\):/);
    expect(out).toMatch(/P\(chosen\) 0\.\d{3} · decided by judge/);
    expect(out).toMatch(
      /offline:rehearsal +showcase\.kind +first-as-a 0\.\d{3} +second-as-a 0\.\d{3} +P 0\.\d{3} +orders agree/,
    );
  });

  it("prints a scored row's replies with each criterion's probability", async () => {
    const { out } = await show([runs.score, "boil-egg"]);
    expect(out).toMatch(/^boil-egg · score 0\.\d\d \/ 0\.\d\d · factual-answer/);
    expect(out).toMatch(/\nuser:\n {4}How long should I boil an egg/);
    expect(out).toMatch(/reply 1 · score 0\.\d{3}\n {4}Eggs are a good source of protein\./);
    expect(out).toMatch(/essential +w 5 +P 0\.\d{3} +logprobs +States the correct final answer/);
    expect(out).toMatch(/essential +w 2 +P 1\.000 +rule +Stays under 300 words/);
  });

  it("refuses an unknown id or round, naming what exists", async () => {
    const missing = await show([runs.revise, "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no item 'nope' in .*revise \(items include: lockpick, /);
    const round = await show([runs.revise, "lockpick", "--round", "9"]);
    expect(round.code).toBe(1);
    expect(round.err).toMatch(/item 'lockpick' has no round 9 \(rounds: 1, 2, 3\)/);
    expect((await show([])).code).toBe(2);
  });

  it("marks a diff in colour on a terminal and with wdiff markers elsewhere", () => {
    const spans = [
      [0, "a "],
      [-1, "old"],
      [1, "new"],
    ] as const;
    expect(markDiff(spans, { color: false })).toBe("a [-old-]{+new+}");
    expect(markDiff(spans, { color: true })).toBe(
      "a \u001b[31;9mold\u001b[0m\u001b[32mnew\u001b[0m",
    );
  });
});
