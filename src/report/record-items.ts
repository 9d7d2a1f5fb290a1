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

/** Per-criterion results from a score record, whichever of the usual shapes it uses. */
export function criteriaOf(record: Json): CriterionResult[] {
  const source = record.criteria ?? record.results ?? record.checks;
  const entries: [string, unknown][] = Array.isArray(source)
    ? source
        .filter(isRecord)
        .map((entry, index) => [
          text(entry.criterion ?? entry.id ?? entry.name) ?? `#${index + 1}`,
          entry,
        ])
    : isRecord(source)
      ? Object.entries(source)
      : [];
  return entries.map(([criterion, value]) => {
    const entry = isRecord(value) ? value : { value };
    const passValue =
      entry.pass ?? entry.passed ?? (typeof entry.value === "boolean" ? entry.value : undefined);
    const score = number(entry.score ?? entry.value);
    const reason = text(entry.reason ?? entry.rationale ?? entry.explanation);
    return {
      criterion,
      ...(typeof passValue === "boolean" ? { pass: passValue } : {}),
      ...(score === undefined ? {} : { score }),
      ...(reason === undefined ? {} : { reason }),
    };
  });
}

/** Score records: the total and per-criterion results, for the list, the plots and the detail. */
export async function foldScoreRecords(
  records: AsyncIterable<{ readonly record: Json; readonly file: string; readonly line: number }>,
  values: ItemValues,
  sink: ItemSink<ScoreDetail>,
): Promise<void> {
  for await (const { record, file, line } of records) {
    const id = text(record.id) ?? `${file}:${line}`;
    const criteria = criteriaOf(record);
    const total = number(record.score ?? record.total ?? record.overall);
    if (total !== undefined) values.scoreTotals.push(total);
    const facets = new Set<string>();
    for (const result of criteria) {
      if (result.pass !== undefined) {
        values.criterionResults.push({ criterion: result.criterion, pass: result.pass });
        facets.add(`criterion:${result.criterion}=${result.pass ? "pass" : "fail"}`);
      }
    }
    const failed = text(record.error ?? record.failure);
    if (failed !== undefined) facets.add(`failure:${failed}`);
    const passed = criteria.filter((result) => result.pass === true).length;
    const outcome = [
      total === undefined ? undefined : `score ${Number(total.toFixed(3))}`,
      criteria.length === 0 ? undefined : `${passed}/${criteria.length} criteria passed`,
    ]
      .filter((part) => part !== undefined)
      .join(" · ");
    const prompt = promptOf(record);
    sink({ id, text: snippet(prompt), outcome: outcome || "scored", facets: [...facets] }, () => ({
      kind: "score",
      prompt,
      response: recordText(record.response ?? record.completion ?? record.reply, "assistant"),
      ...(total === undefined ? {} : { total }),
      criteria,
      json: shownJson(record),
    }));
  }
}
