// Lays out one revised item as dataset records: `sft.jsonl` in TRL's conversational format,
// OpenAI's fine-tuning chat format or the Hugging Face CAI column layout, and the cheap
// preference pair of the open recipes (final revision chosen over the first reply). What goes in
// each is decided here; the rows are written by the layouts' modules (src/datasets/layouts/).

import {
  writePreferenceOpenAiDpo,
  writePreferenceTrlChat,
  writeSftHfCai,
  writeSftOpenai,
  writeSftTrl,
} from "../datasets/index.js";
import { assertNever } from "../errors.js";
import type { ChatMessage } from "../providers/index.js";
import type { EmitMode, RevisedItem, RoundResult, SftFormat } from "./types.js";

type Turn = { readonly role: ChatMessage["role"]; readonly content: string };

function turn(role: Turn["role"], content: string): Turn {
  return { role, content };
}

/** The input conversation followed by `reply` as the last assistant turn. */
function conversationWith(item: RevisedItem, reply: string): Turn[] {
  return [
    ...item.input.messages.map((message) => turn(message.role, message.content)),
    turn("assistant", reply),
  ];
}

/** One training example: the reply it teaches, and the round it came from (0 = no revision). */
interface Example {
  readonly round: number;
  readonly reply: string;
  /** The round whose critique and revision produced it, for the HF layout. */
  readonly source?: RoundResult;
}

function examples(item: RevisedItem, emit: EmitMode): Example[] {
  const revised = item.rounds.filter((round) => round.status === "revised");
  switch (emit) {
    case "final": {
      const last = revised.at(-1);
      return [
        { round: last?.round ?? 0, reply: item.finalResponse, ...(last ? { source: last } : {}) },
      ];
    }
    case "all-rounds":
      // The paper trained on the revision of every step; an item nothing changed still teaches its reply.
      return revised.length === 0
        ? [{ round: 0, reply: item.finalResponse }]
        : revised.map((round) => ({ round: round.round, reply: round.after, source: round }));
    default:
      return assertNever(emit, "emit mode");
  }
}

/**
 * The Hugging Face CAI layout, column for column as llm-swarm's recipe writes
 * HuggingFaceH4/cai-conversation-harmless: the six steps as plain strings (`init_prompt`,
 * `init_response`, `critic_prompt`, `critic_response`, `revision_prompt`, `revision_response`),
 * then `prompt` and the `messages`/`chosen`/`rejected` message lists, stripped as the recipe
 * strips them. No other column (`round` only with `--emit all-rounds`). Where Charter differs
 * from the recipe (more than one round, earlier turns, no revision) is said in the README.
 */
function hfCaiRecord(item: RevisedItem, example: Example, emit: EmitMode): unknown {
  const prompt = item.input.messages.findLast((message) => message.role === "user")?.content ?? "";
  // Without a revised round, show the last critique that was asked (if any) beside the reply.
  const source = example.source ?? item.rounds.findLast((round) => round.critique !== undefined);
  const stripped = (reply: string): Turn[] =>
    conversationWith(item, reply).map((entry) => turn(entry.role, entry.content.trim()));
  const chosen = stripped(example.reply);
  return writeSftHfCai({
    initPrompt: prompt,
    initResponse: item.initialResponse,
    criticPrompt: source?.critiqueRequest ?? "",
    criticResponse: source?.critique ?? "",
    revisionPrompt: example.source?.revisionRequest ?? "",
    revisionResponse: example.reply,
    prompt: prompt.trim(),
    messages: chosen,
    chosen,
    rejected: stripped(item.initialResponse),
    ...(emit === "all-rounds" ? { round: example.round } : {}),
  });
}

/** The example `--emit final` writes. */
function finalExample(item: RevisedItem): Example {
  const [example] = examples(item, "final");
  return example as Example;
}

/** The records `sft.jsonl` gets for one item. */
export function sftRecords(item: RevisedItem, format: SftFormat, emit: EmitMode): unknown[] {
  return examples(item, emit).map((example) => {
    switch (format) {
      case "trl":
        return writeSftTrl(
          item.id,
          conversationWith(item, example.reply),
          emit === "all-rounds" ? example.round : undefined,
        );
      case "openai":
        return writeSftOpenai(conversationWith(item, example.reply));
      case "hf-cai":
        return hfCaiRecord(item, example, emit);
      default:
        return assertNever(format, "format");
    }
  });
}

/**
 * The preference pair (final revision chosen over the first reply), or undefined when nothing was
 * revised (the two would be equal). TRL's conversational preference format with an explicit
 * prompt; OpenAI's preference fine-tuning format for `openai`.
 */
export function pairRecord(item: RevisedItem, format: SftFormat): unknown | undefined {
  if (item.finalResponse === item.initialResponse) return undefined;
  const prompt = item.input.messages;
  switch (format) {
    case "hf-cai":
      // The recipe's `*_prefs` splits hold rows of the same layout as its `*_sft` splits.
      return hfCaiRecord(item, finalExample(item), "final");
    case "trl":
      return writePreferenceTrlChat(item.id, prompt, item.finalResponse, item.initialResponse);
    case "openai":
      return writePreferenceOpenAiDpo(prompt, item.finalResponse, item.initialResponse);
    default:
      return assertNever(format, "format");
  }
}
