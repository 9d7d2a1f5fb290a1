// The formatter's and converter's laws, checked on each fuzz case after it compiled: fmt is
// idempotent and changes no diagnostic or hash; a constitution converted to .charter, YAML and JSON
// compiles back to its hash, and its .charter form is already canonical; fmt keeps every comment. Plain checks (no vitest), so `npm run fuzz` can run them too.

import { basename, dirname, extname, join } from "node:path";
import {
  compileSource,
  formatSource,
  toCharterSource,
  toJson,
  toYaml,
  type CompileResult,
  type CompiledConstitution,
} from "../../src/dsl/index.js";
import { lex } from "../../src/dsl/syntax/chevrotain-path.js";
import type { FuzzCase, FuzzFailure } from "./fuzz-harness.js";

/** Diagnostics as code and message; line numbers inside messages move with fmt, so they are blanked. */
const diagnosticsOf = (result: CompileResult): string =>
  result.diagnostics
    .map((entry) => `${entry.code}: ${entry.message.replace(/\bline \d+/g, "line N")}`)
    .join("\n");

/** What breaks a law on this case, or undefined when they all hold (or do not apply). */
export function lawProblem(fuzzCase: FuzzCase): string | undefined {
  const { text, filename } = fuzzCase;
  if (!filename.endsWith(".charter")) return undefined;
  const once = formatSource(text, filename);
  // A file with syntax errors is left as it is; the laws speak of files that parse.
  if (once.diagnostics.length > 0)
    return once.changed ? "fmt changed a file it could not parse" : undefined;
  const twice = formatSource(once.text, filename);
  if (twice.text !== once.text) return "fmt is not idempotent: fmt(fmt(x)) != fmt(x)";
  const comments = (source: string): string =>
    lex(source, filename)
      .comments.map((token) => token.image.trimEnd())
      .join("\n");
  if (comments(once.text) !== comments(text)) return "fmt lost, changed or reordered a comment";
  const before = compileSource(text, { filename });
  const after = compileSource(once.text, { filename });
  if (diagnosticsOf(after) !== diagnosticsOf(before)) {
    return `fmt changed the diagnostics:\nbefore:\n${diagnosticsOf(before)}\nafter:\n${diagnosticsOf(after)}`;
  }
  if (after.constitution?.hash !== before.constitution?.hash)
    return "fmt changed the compiled constitution's hash";
  const constitution = before.constitution;
  if (constitution === undefined) return undefined;
  return roundTripProblem(constitution, filename);
}

/**
 * What breaks `convert`'s round trip for a compiled constitution (from a .charter, YAML or JSON
 * file): each of .charter, YAML and JSON compiles back to its hash, the .charter form already
 * canonical. Undefined when it holds.
 */
export function roundTripProblem(
  constitution: CompiledConstitution,
  filename: string,
): string | undefined {
  // Converted files hold everything (imports merged); they sit beside the entry, as `convert -o` would.
  const stem = join(dirname(filename), `${basename(filename, extname(filename))}.converted`);
  for (const [format, converted, name] of [
    ["charter", toCharterSource(constitution), `${stem}.charter`],
    ["yaml", toYaml(constitution), `${stem}.yaml`],
    ["json", toJson(constitution), `${stem}.json`],
  ] as const) {
    const back = compileSource(converted, { filename: name });
    if (back.constitution?.hash !== constitution.hash) {
      const why =
        back.constitution === undefined
          ? `it does not compile:\n${diagnosticsOf(back)}`
          : "its hash differs";
      return `convert --to ${format} breaks the round trip: ${why}\nconverted:\n${converted.slice(0, 2_000)}`;
    }
    if (format === "charter" && formatSource(converted, name).changed)
      return "convert --to charter wrote a file fmt would change";
  }
  return undefined;
}

/** The case as a failure when a law breaks (throws included), else undefined. */
export function checkLaws(fuzzCase: FuzzCase): FuzzFailure | undefined {
  const start = performance.now();
  let problem: string | undefined;
  try {
    problem = lawProblem(fuzzCase);
  } catch (error) {
    problem = `fmt or convert threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  return problem === undefined
    ? undefined
    : { fuzzCase, problem, elapsedMs: performance.now() - start };
}

/**
 * A YAML/JSON document's case as a failure when `convert`'s round trip breaks on what it compiled
 * to (throws included), else undefined (also when it did not compile).
 */
export function checkDocumentLaws(
  documentCase: FuzzCase,
  constitution: CompiledConstitution | undefined,
): FuzzFailure | undefined {
  if (constitution === undefined) return undefined;
  const start = performance.now();
  let problem: string | undefined;
  try {
    problem = roundTripProblem(constitution, documentCase.filename);
  } catch (error) {
    problem = `convert threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  return problem === undefined
    ? undefined
    : { fuzzCase: documentCase, problem, elapsedMs: performance.now() - start };
}
