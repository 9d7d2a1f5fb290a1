// Fuzzes the compiler with seeded mutations of the shipped constitutions, as many cases as asked:
// `npm run fuzz -- --cases 20000 --seed 1`. Each case is a mutated .charter file and, made from it,
// a YAML or JSON constitution with mutated expressions (test/dsl/fuzz-documents.ts). Exit code 1
// when any case crashes, is slow, hangs, reports a range outside its file, breaks a law of fmt or
// convert (test/dsl/fuzz-laws.ts; a document that compiles must convert back to its hash in every
// format) or finds the clean parser disagreeing with chevrotain
// (test/dsl/clean-differential.ts: the .charter file, and every string of the YAML/JSON document
// read as an expression where it stands); each failure prints its seed, case number, mutations and
// input.
//
// The cases run in a child process watched from here: compileSource is synchronous, so a case
// that never returns can only be caught from outside. A hung or dead child is recorded as that
// case's failure and a fresh child carries on from the next case.

import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compileSource, type CompileResult, type CompiledConstitution } from "../src/dsl/index.js";
import {
  CASE_TIME_LIMIT_MS,
  checkCase,
  formatFailure,
  fuzzCases,
  type FuzzCase,
  type FuzzFailure,
} from "../test/dsl/fuzz-harness.js";
import { checkDocumentLaws, checkLaws } from "../test/dsl/fuzz-laws.js";
import { cleanPathProblem } from "../test/dsl/clean-differential.js";
import {
  documentCase,
  documentExpressionCheck,
  seedConstitution,
} from "../test/dsl/fuzz-documents.js";

/** Which half of a case is running: its .charter file or its YAML/JSON document. */
type Stage = "charter" | "document";

type ChildMessage =
  | { readonly type: "start"; readonly index: number; readonly stage: Stage }
  | {
      readonly type: "done";
      readonly index: number;
      readonly elapsedMs: number;
      /** Strings of the YAML/JSON document held to chevrotain as expressions. */
      readonly strings: number;
      readonly failures: readonly FuzzFailure[];
    };

const { values } = parseArgs({
  options: {
    child: { type: "boolean", default: false },
    // Leaves out the pathological nesting mutations, to look at everything else.
    shallow: { type: "boolean", default: false },
    cases: { type: "string", default: "2000" },
    from: { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    "hang-ms": { type: "string", default: "20000" },
    "show-failures": { type: "string", default: "5" },
    "input-chars": { type: "string", default: "4000" },
  },
});

const seed = Number(values.seed);
const cases = Number(values.cases);
const from = Number(values.from);

if (values.child) runChild();
else await runParent();

/** Child: compile cases from..cases-1, announcing each half of a case before it starts. */
function runChild(): void {
  const send = (message: ChildMessage): void => void process.send?.(message);
  const deepNesting = !values.shallow;
  const seedConstitutions = new Map<string, CompiledConstitution | undefined>();
  for (const fuzzCase of fuzzCases(seed, cases, from, { deepNesting })) {
    send({ type: "start", index: fuzzCase.index, stage: "charter" });
    const start = performance.now();
    let result: CompileResult | undefined;
    const compile = (text: string, filename: string): CompileResult =>
      (result = compileSource(text, { filename }));
    const compiled = checkCase(compile, fuzzCase) ?? checkLaws(fuzzCase);
    // The clean parser must agree with the chevrotain path (or decline) on every case too.
    const differs = compiled ? undefined : cleanPathProblem(fuzzCase.text, fuzzCase.filename);
    const failures: FuzzFailure[] = [];
    if (compiled !== undefined) failures.push(compiled);
    else if (differs !== undefined)
      failures.push({ fuzzCase, problem: differs, elapsedMs: performance.now() - start });

    // The YAML/JSON half: the case's constitution (its seed file's when it does not compile)
    // converted and mutated, compiled, and every string in it parsed both ways.
    send({ type: "start", index: fuzzCase.index, stage: "document" });
    const constitution =
      result?.constitution ?? seedConstitution(fuzzCase.filename, seedConstitutions);
    let strings = 0;
    if (constitution !== undefined) {
      const document = documentCase(fuzzCase, seed, constitution, { deepNesting });
      const compiledDocument =
        checkCase(compile, document) ?? checkDocumentLaws(document, result?.constitution);
      const expressions = documentExpressionCheck(document);
      strings = expressions.strings;
      if (compiledDocument !== undefined) failures.push(compiledDocument);
      if (expressions.failure !== undefined) failures.push(expressions.failure);
    }
    const elapsedMs = performance.now() - start;
    send({ type: "done", index: fuzzCase.index, elapsedMs, strings, failures });
  }
  process.disconnect?.();
}

async function runParent(): Promise<void> {
  const hangMs = Number(values["hang-ms"]);
  const showFailures = Number(values["show-failures"]);
  const inputChars = Number(values["input-chars"]);
  if (
    ![seed, cases, from, hangMs, showFailures, inputChars].every(Number.isInteger) ||
    cases <= 0 ||
    from < 0
  ) {
    console.error(
      "usage: npm run fuzz -- [--cases N] [--seed S] [--from I] [--shallow] [--hang-ms MS] [--show-failures K] [--input-chars C]",
    );
    process.exitCode = 2;
    return;
  }
  console.log(
    `fuzzing compileSource: cases ${from}..${cases - 1}, seed ${seed} (slow > ${CASE_TIME_LIMIT_MS} ms, hang > ${hangMs} ms)`,
  );
  const failures: FuzzFailure[] = [];
  const byProblem = new Map<string, number>();
  const started = performance.now();
  let slowest = { index: -1, elapsedMs: 0 };
  let completed = 0;
  let strings = 0;

  const record = (failure: FuzzFailure): void => {
    failures.push(failure);
    // Grouped by the problem's first line with numbers blanked, so one bug shows as one row.
    const kind = (failure.problem.split("\n")[0] ?? "").replace(/\d+/g, "N").slice(0, 140);
    byProblem.set(kind, (byProblem.get(kind) ?? 0) + 1);
    if (failures.length <= showFailures)
      console.log(`\n${formatFailure(seed, failure, inputChars)}\n`);
  };
  const regenerate = (index: number): FuzzCase => {
    const [fuzzCase] = [...fuzzCases(seed, index + 1, index, { deepNesting: !values.shallow })];
    return fuzzCase ?? { index, filename: "?", mutations: [], text: "" };
  };

  let next = from;
  while (next < cases) {
    next = await runBatch(
      next,
      hangMs,
      (message) => {
        if (message.type !== "done") return;
        completed++;
        strings += message.strings;
        if (message.elapsedMs > slowest.elapsedMs)
          slowest = { index: message.index, elapsedMs: message.elapsedMs };
        for (const failure of message.failures) record(failure);
        if (completed % 1000 === 0) {
          console.log(
            `  ${completed} cases, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      },
      (index, problem, elapsedMs) => {
        completed++;
        record({ fuzzCase: regenerate(index), problem, elapsedMs });
      },
    );
  }

  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${completed} cases in ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, completed)).toFixed(1)} ms per case)`,
  );
  console.log(
    `  each a .charter file and a YAML/JSON document: ${strings} document strings held to chevrotain as expressions`,
  );
  console.log(`slowest case: ${slowest.index} (${slowest.elapsedMs.toFixed(0)} ms)`);
  console.log(`failures: ${failures.length}`);
  for (const [kind, count] of [...byProblem].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(count).padStart(6)}  ${kind}`);
  const first = failures[0];
  if (first !== undefined) {
    const index = first.fuzzCase.index;
    console.log(
      `reproduce the first: npm run fuzz -- --seed ${seed} --from ${index} --cases ${index + 1}`,
    );
    process.exitCode = 1;
  }
}

/**
 * Runs one child from `start` until it finishes, hangs or dies; resolves with the next case to run.
 * A hang or death is reported through `onLost` for the case that was running.
 */
function runBatch(
  start: number,
  hangMs: number,
  onMessage: (message: ChildMessage) => void,
  onLost: (index: number, problem: string, elapsedMs: number) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const script = fileURLToPath(import.meta.url);
    // fork inherits this process's execArgv, so the child loads TypeScript the same way (tsx).
    const child: ChildProcess = fork(script, [
      "--child",
      "--seed",
      String(seed),
      "--cases",
      String(cases),
      "--from",
      String(start),
      ...(values.shallow ? ["--shallow"] : []),
    ]);
    let running: { index: number; stage: Stage; since: number } | undefined;
    let next = start;
    let settled = false;
    const finish = (value: number): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(value);
    };
    const watchdog = setInterval(() => {
      if (running === undefined) return;
      const elapsed = performance.now() - running.since;
      if (elapsed < hangMs) return;
      const { index, stage } = running;
      running = undefined;
      child.kill("SIGKILL");
      onLost(
        index,
        `hang: no result after ${elapsed.toFixed(0)} ms (process killed) in its ${stage === "charter" ? ".charter file" : "YAML/JSON document"}`,
        elapsed,
      );
      finish(index + 1);
    }, 250);
    child.on("message", (message: ChildMessage) => {
      if (message.type === "start") {
        // The clock runs from the case's start: its two halves share the hang limit.
        running = {
          index: message.index,
          stage: message.stage,
          since: running?.index === message.index ? running.since : performance.now(),
        };
      } else {
        running = undefined;
        next = message.index + 1;
        onMessage(message);
      }
    });
    child.on("exit", (code, signal) => {
      if (settled) return;
      if (running !== undefined) {
        const elapsed = performance.now() - running.since;
        onLost(
          running.index,
          `child process died (code ${code}, signal ${signal}) while checking its ${running.stage === "charter" ? ".charter file" : "YAML/JSON document"}`,
          elapsed,
        );
        finish(running.index + 1);
      } else if (next >= cases) {
        finish(cases);
      } else {
        onLost(next, `child process died (code ${code}, signal ${signal}) before this case`, 0);
        finish(next + 1);
      }
    });
  });
}
