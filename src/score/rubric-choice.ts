// Which rubric scores a row: the row's own, else the one `--rubric NAME` names, else the first
// constitution rubric whose `when` holds for the row (one without `when` holds for every row).
// When none applies the row is reported, never scored against a guess.

import {
  evaluateCondition,
  type CompiledConstitution,
  type RuleRecord,
} from "../constitution/index.js";
import { fromCompiled, type ScoringRubric } from "./rubric.js";
import type { ScoreRow } from "./rows.js";

/** How the rubric was chosen, for scores.jsonl. */
export type RubricSource = "row" | "flag" | "when";

export type RubricChoice =
  | { readonly ok: true; readonly rubric: ScoringRubric; readonly from: RubricSource }
  | { readonly ok: false; readonly code: "no-rubric" | "unknown-rubric"; readonly message: string };

/** The compiled rubrics as scoring uses them, by id (built once per run). */
export function rubricsOf(constitution: CompiledConstitution): ReadonlyMap<string, ScoringRubric> {
  return new Map(constitution.rubrics.map((rubric) => [rubric.id, fromCompiled(rubric)]));
}

export function chooseRubric(
  row: ScoreRow,
  constitution: CompiledConstitution,
  rubrics: ReadonlyMap<string, ScoringRubric>,
  named: string | undefined,
): RubricChoice {
  const known = (): string =>
    rubrics.size === 0
      ? "the constitution has no rubric"
      : `the rubrics are ${[...rubrics.keys()].join(", ")}`;
  const byName = (name: string, from: RubricSource): RubricChoice => {
    const rubric = rubrics.get(name);
    return rubric === undefined
      ? { ok: false, code: "unknown-rubric", message: `no rubric '${name}' (${known()})` }
      : { ok: true, rubric, from };
  };
  if (row.rubric !== undefined)
    return "name" in row.rubric
      ? byName(row.rubric.name, "row")
      : { ok: true, rubric: row.rubric, from: "row" };
  if (named !== undefined) return byName(named, "flag");
  const record: RuleRecord = { prompt: lastUser(row), tags: row.tags };
  for (const rubric of constitution.rubrics) {
    if (rubric.when === undefined || evaluateCondition(rubric.when, record)) {
      const chosen = rubrics.get(rubric.id);
      if (chosen !== undefined) return { ok: true, rubric: chosen, from: "when" };
    }
  }
  const guarded = constitution.rubrics.map(
    (rubric) => `${rubric.id} (when ${rubric.whenSource ?? "always"})`,
  );
  return {
    ok: false,
    code: "no-rubric",
    message:
      `no rubric applies to this row: give it a 'rubric', pass --rubric NAME, or write a rubric ` +
      `whose \`when\` holds (${guarded.length === 0 ? "the constitution has no rubric" : guarded.join(", ")})`,
  };
}

const lastUser = (row: ScoreRow): string =>
  row.conversation.findLast((turn) => turn.role === "user")?.content ?? "";
