// Items of run types the report reads from their dataset records: score runs (per-criterion
// results) and any run type this version does not know (each record shown as JSON), so a new
// command's folder still gets an overview and a browsable item list.

import type { CriterionResult, ItemValues, RecordDetail, ScoreDetail } from "./run-data.js";
import { isRecord, number, text } from "./read-overview.js";
import { recordText } from "./judge-items.js";
import { snippet, type ItemSink } from "./revise-items.js";

type Json = Readonly<Record<string, unknown>>;

/** A record's JSON for the detail view, cut at `limit` characters. */
function shownJson(record: Json, limit = 20_000): string {
  const json = JSON.stringify(record, null, 2);
  return json.length <= limit
    ? json
    : `${json.slice(0, limit)}\n… (${json.length - limit} more characters)`;
}

function promptOf(record: Json): string {
  return recordText(record.prompt ?? record.messages ?? record.input, "user");
}

/** Any record: its id, its prompt if it has one, its JSON. */
export async function foldGenericRecords(
  records: AsyncIterable<{ readonly record: Json; readonly file: string; readonly line: number }>,
  sink: ItemSink<RecordDetail>,
): Promise<void> {
  for await (const { record, file, line } of records) {
    const id = text(record.id) ?? `${file}:${line}`;
    const keys = Object.keys(record).slice(0, 6).join(", ");
    sink(
      {
        id,
        text: snippet(promptOf(record) || JSON.stringify(record)),
        outcome: `${file} · ${keys}`,
        facets: [`file:${file}`],
      },
      () => ({ kind: "record", file, json: shownJson(record) }),
    );
  }
}

function criterionOf(value: Json): CriterionResult {
  const weight = number(value.weight);
  const probability = number(value.probability);
  const kind = text(value.kind);
  const method = text(value.method);
  const check = text(value.check);
  return {
    criterion: text(value.criterion) ?? "?",
    ...(kind === undefined ? {} : { kind }),
    ...(weight === undefined ? {} : { weight }),
    ...(probability === undefined ? {} : { probability }),
    ...(method === undefined ? {} : { method }),
    ...(check === undefined ? {} : { check }),
    judges: (Array.isArray(value.judges) ? value.judges.filter(isRecord) : []).map((judge) => {
      const p = number(judge.probability);
      return { judge: text(judge.judge) ?? "?", ...(p === undefined ? {} : { probability: p }) };
    }),
  };
}

/** A scores.jsonl row (`charter score`): the rubric and, per reply, its score and criteria. */
export function scoreOf(record: Json): ScoreDetail {
  const replies = (Array.isArray(record.replies) ? record.replies.filter(isRecord) : []).map(
    (reply, position) => {
      const score = number(reply.score);
      return {
        index: number(reply.index) ?? position,
        ...(score === undefined ? {} : { score }),
        criteria: (Array.isArray(reply.criteria) ? reply.criteria.filter(isRecord) : []).map(
          criterionOf,
        ),
      };
    },
  );
  const rubric = text(record.rubric);
  const rubricFrom = text(record.rubric_from);
  const failure = text(record.error) ?? text(record.reason);
  return {
    kind: "score",
    ...(rubric === undefined ? {} : { rubric }),
    ...(rubricFrom === undefined ? {} : { rubricFrom }),
    replies,
    ...(failure === undefined ? {} : { failure }),
  };
}

/** Score runs' rows: a summary per row, the criteria's names for the plots, the sampled detail. */
export async function foldScoreRecords(
  records: AsyncIterable<{ readonly record: Json; readonly file: string; readonly line: number }>,
  values: ItemValues,
  sink: ItemSink<ScoreDetail>,
): Promise<void> {
  for await (const { record, file, line } of records) {
    const id = text(record.id) ?? `${file}:${line}`;
    const detail = scoreOf(record);
    const facets = new Set<string>();
    if (detail.rubric !== undefined) facets.add(`rubric:${detail.rubric}`);
    if (detail.failure !== undefined) facets.add(`failure:${detail.failure}`);
    for (const reply of detail.replies) {
      reply.criteria.forEach((criterion, index) => {
        if (detail.rubric !== undefined)
          values.criterionNames.set(`${detail.rubric}#${index + 1}`, criterion.criterion);
        if (criterion.probability === undefined) return;
        // A pitfall "holds" when the reply falls into it: that is the failing side.
        const bad =
          criterion.kind === "pitfall" ? criterion.probability >= 0.5 : criterion.probability < 0.5;
        if (bad) facets.add(`flag:${criterion.criterion}`);
      });
    }
    const scores = detail.replies
      .map((reply) => reply.score)
      .filter((score) => score !== undefined);
    const outcome =
      scores.length === 0
        ? (detail.failure ?? "not scored")
        : `score ${scores.map((score) => score.toFixed(2)).join(" / ")}${detail.rubric === undefined ? "" : ` · ${detail.rubric}`}`;
    sink({ id, text: "", outcome, facets: [...facets] }, () => detail);
  }
}
