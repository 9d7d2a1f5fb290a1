// Phase 2 items from the judge's dataset files (preferences.jsonl and ties.jsonl, any of the
// output formats): a summary per pair, P(chosen) and the length difference for the plots, and the
// two replies with every principle's verdict per order for the sampled detail.

import type { ItemValues, PairDetail, PrincipleVerdict, VerdictOrder } from "./run-data.js";
import { isRecord, number, text } from "./read-overview.js";
import { contentText, snippet, type ItemSink } from "./revise-items.js";
import { wordCount } from "./word-diff.js";
import { promptMessages, promptText, rowOfAnyLayout } from "../quality/index.js";

type Json = Readonly<Record<string, unknown>>;

/** A prompt or reply as text, whether a string, a message list or an HH transcript. */
export function recordText(value: unknown, role?: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const messages = value.filter(isRecord);
    const chosen = role === undefined ? messages : messages.filter((m) => m.role === role);
    return chosen.map((message) => contentText(message.content)).join("\n\n");
  }
  if (isRecord(value) && Array.isArray(value.messages)) return recordText(value.messages, role);
  return "";
}

function verdictsOf(record: Json): PrincipleVerdict[] {
  if (!Array.isArray(record.verdicts)) return [];
  return record.verdicts.filter(isRecord).map((verdict) => {
    const orders: VerdictOrder[] = (Array.isArray(verdict.orders) ? verdict.orders : [])
      .filter(isRecord)
      .map((order) => {
        const probabilityFirst = number(order.probability_first);
        return {
          order: text(order.order) ?? "?",
          ...(probabilityFirst === undefined ? {} : { probabilityFirst }),
        };
      });
    const judge = text(verdict.judge);
    const principle = text(verdict.principle);
    const question = text(verdict.question);
    const probabilityFirst = number(verdict.probability_first);
    return {
      ...(judge === undefined ? {} : { judge }),
      ...(principle === undefined ? {} : { principle }),
      ...(question === undefined ? {} : { question }),
      ...(probabilityFirst === undefined ? {} : { probabilityFirst }),
      ...(typeof verdict.consistent === "boolean" ? { consistent: verdict.consistent } : {}),
      orders,
    };
  });
}

/**
 * Reads one preference or tie record in any of the judge's formats, with the text of its prompt
 * (user and system turns, what the list shows and search finds).
 */
export function pairOf(record: Json, tie: boolean): { pair: PairDetail; promptText: string } {
  // A preference is read by its layout's module (an HH row's conversation is its transcript's turns
  // before the last Assistant turn, its replies those); a tie record is Charter's own, in every format.
  const row = tie ? undefined : rowOfAnyLayout(record, 0);
  const prompt = tie ? promptMessages(record.prompt) : (row?.conversation ?? []);
  const [firstLabel, secondLabel] = tie ? ["A", "B"] : ["chosen", "rejected"];
  const first = tie ? recordText(record.response_a) : (row?.reply ?? "");
  const second = tie ? recordText(record.response_b) : (row?.rejected ?? "");
  const probability = number(tie ? record.probability_a : record.probability);
  const decidedBy = text(record.decided_by);
  const rule = text(record.rule);
  const pair: PairDetail = {
    kind: "pair",
    prompt,
    replies: [
      { label: firstLabel, text: first, words: wordCount(first) },
      { label: secondLabel, text: second, words: wordCount(second) },
    ],
    ...(probability === undefined ? {} : { probability }),
    tie,
    ...(decidedBy === undefined ? {} : { decidedBy }),
    ...(rule === undefined ? {} : { rule }),
    verdicts: verdictsOf(record),
    ...(typeof record.agrees_with_given === "boolean"
      ? { agreesWithGiven: record.agrees_with_given }
      : {}),
  };
  return { pair, promptText: tie ? promptText(record.prompt) : (row?.prompt ?? "") };
}

function outcomeOf(pair: PairDetail): string {
  const p = pair.probability === undefined ? "" : ` · P ${pair.probability.toFixed(2)}`;
  if (pair.tie) return `tie${p}`;
  const by = pair.decidedBy === "rule" ? ` · rule ${pair.rule ?? ""}`.trimEnd() : "";
  return `labelled${p}${by}`;
}

function facetsOf(pair: PairDetail): string[] {
  const facets = new Set<string>([`tie:${pair.tie ? "yes" : "no"}`]);
  if (pair.decidedBy !== undefined) facets.add(`decided:${pair.decidedBy}`);
  if (pair.rule !== undefined) facets.add(`rule:${pair.rule}=decided`);
  for (const verdict of pair.verdicts) {
    if (verdict.principle !== undefined) facets.add(`principle:${verdict.principle}`);
    if (verdict.judge !== undefined) facets.add(`judge:${verdict.judge}`);
    if (verdict.consistent === false) facets.add("flag:order-inconsistent");
  }
  if (pair.agreesWithGiven === false) facets.add("flag:disagrees-with-given");
  const [first, second] = pair.replies;
  if (!pair.tie && first.words !== second.words)
    facets.add(`length:${first.words > second.words ? "chosen-longer" : "chosen-shorter"}`);
  return [...facets];
}

/** Folds the judge's records (preferences first, then ties) into summaries, values and details. */
export async function foldJudgeRecords(
  records: AsyncIterable<{ readonly record: Json; readonly tie: boolean }>,
  values: ItemValues,
  sink: ItemSink<PairDetail>,
): Promise<void> {
  let row = 0;
  for await (const { record, tie } of records) {
    const { pair, promptText: prompt } = pairOf(record, tie);
    row += 1;
    const id = text(record.id) ?? `row-${row}`;
    const probability = pair.probability;
    for (const verdict of pair.verdicts) {
      if (verdict.consistent !== undefined)
        values.verdicts.push({
          principle: verdict.principle ?? "?",
          consistent: verdict.consistent,
        });
    }
    if (!tie) {
      const lengthDelta = pair.replies[0].words - pair.replies[1].words;
      values.pairs.push(probability === undefined ? { lengthDelta } : { probability, lengthDelta });
    }
    sink(
      { id, text: snippet(prompt), outcome: outcomeOf(pair), facets: facetsOf(pair) },
      () => pair,
    );
  }
}
