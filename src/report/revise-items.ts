// Phase 1 items from trace.jsonl: one pass over the trace, grouped by item (the engine writes an
// item's events together, in input order). Every item gets a summary and its per-round values;
// only items in the seeded sample keep their texts for the full detail view.

import type { ItemSummary, ReviseDetail, RoundDetail, RuleCheckNote } from "./run-data.js";
import { isRecord, number, text } from "./read-overview.js";

type Json = Readonly<Record<string, unknown>>;
type Message = { role: string; content: string };

function messagesOf(request: unknown): Message[] {
  if (!isRecord(request) || !Array.isArray(request.messages)) return [];
  return request.messages.filter(isRecord).map((message) => ({
    role: text(message.role) ?? "user",
    content: contentText(message.content),
  }));
}

/** A message's text, whether content is a string or a list of parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        isRecord(part) ? (text(part.text) ?? "") : typeof part === "string" ? part : "",
      )
      .join("");
  }
  return "";
}

/** Shortens a prompt for the list: one line, at most `max` characters. */
export function snippet(value: string, max = 140): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

interface MutableRound {
  round: number;
  principle?: string;
  status: string;
  critiqueRequest?: string;
  critique?: string;
  revision?: string;
  before?: string;
  rules: RuleCheckNote[];
  rejectedBy: string[];
  reason?: string;
  finishReasons: string[];
}

/** Accumulates one item's trace events. */
class ReviseItemFold {
  prompt: Message[] = [];
  firstReply: string | undefined;
  given = false;
  readonly rounds = new Map<number, MutableRound>();
  readonly recheck: { principle: string; clean: boolean }[] = [];
  failure: { code: string; message: string } | undefined;
  current: string | undefined;

  constructor(readonly id: string) {}

  private round(number: number): MutableRound {
    let round = this.rounds.get(number);
    if (round === undefined) {
      round = { round: number, status: "skipped", rules: [], rejectedBy: [], finishReasons: [] };
      this.rounds.set(number, round);
    }
    return round;
  }

  add(event: Json): void {
    const kind = text(event.event);
    const roundNumber = number(event.round) ?? 0;
    const principle = text(event.principle);
    switch (kind) {
      case "call":
      case "call-failed":
        this.call(kind, event, roundNumber, principle);
        return;
      case "given-response":
        this.given = true;
        return;
      case "no-change":
        this.round(roundNumber).status = "no-change";
        return;
      case "rejected": {
        const round = this.round(roundNumber);
        round.status = "rejected";
        if (Array.isArray(event.rules)) round.rejectedBy.push(...event.rules.map(String));
        return;
      }
      case "rules": {
        const round = this.round(roundNumber);
        const stage = text(event.stage);
        for (const check of Array.isArray(event.checks) ? event.checks.filter(isRecord) : []) {
          const source = text(check.source);
          round.rules.push({
            rule: text(check.rule) ?? "?",
            kind: text(check.kind) ?? "?",
            holds: check.holds === true,
            ...(source === undefined ? {} : { source }),
            ...(stage === undefined ? {} : { stage }),
          });
        }
        return;
      }
      case "round-skipped": {
        const round = this.round(roundNumber);
        round.status = "skipped";
        const reason = text(event.reason);
        if (reason !== undefined) round.reason = reason;
        return;
      }
      case "recheck":
        this.recheck.push({ principle: principle ?? "?", clean: event.clean === true });
        return;
      case "item-failed":
        this.failure = { code: text(event.code) ?? "error", message: text(event.message) ?? "" };
        return;
      default:
        // An event this version does not know (a newer Charter): nothing to show for it.
        return;
    }
  }

  private call(
    kind: string,
    event: Json,
    roundNumber: number,
    principle: string | undefined,
  ): void {
    const purpose = text(event.purpose);
    const messages = messagesOf(event.request);
    const reply = text(event.reply);
    const finish = text(event.finishReason);
    if (purpose === "reply") {
      this.prompt = messages;
      if (reply !== undefined) this.firstReply = this.current = reply;
      return;
    }
    if (purpose !== "critique" && purpose !== "revision") return;
    const round = this.round(roundNumber);
    if (principle !== undefined) round.principle = principle;
    if (finish !== undefined && finish !== "stop")
      round.finishReasons.push(`${purpose}: ${finish}`);
    if (kind === "call-failed") {
      round.status = "failed";
      const error = isRecord(event.error) ? event.error : {};
      round.reason =
        `${purpose} call failed: ${text(error.code) ?? "error"} ${text(error.message) ?? ""}`.trim();
      return;
    }
    if (purpose === "critique") {
      // The reply under critique is the last assistant message of the request; for a given
      // response it is also where the first reply and the prompt are found.
      const last = messages[messages.length - 1];
      if (last !== undefined) round.critiqueRequest = last.content;
      const replyIndex = messages.length - 2;
      const under = messages[replyIndex];
      if (under?.role === "assistant") {
        round.before = under.content;
        if (this.firstReply === undefined) {
          this.firstReply = under.content;
          this.prompt = messages.slice(0, replyIndex);
        }
      }
      if (reply !== undefined) round.critique = reply;
      return;
    }
    if (reply !== undefined) {
      round.revision = reply;
      round.status = "revised";
    }
  }

  promptText(): string {
    for (let i = this.prompt.length - 1; i >= 0; i--) {
      const message = this.prompt[i];
      if (message?.role === "user") return message.content;
    }
    return "";
  }

  orderedRounds(): MutableRound[] {
    return [...this.rounds.values()]
      .filter((round) => round.round > 0)
      .sort((a, b) => a.round - b.round);
  }

  /** The reply after every accepted revision. */
  finalReply(): string | undefined {
    let reply = this.firstReply;
    for (const round of this.orderedRounds()) {
      if (round.status === "revised" && round.revision !== undefined) reply = round.revision;
    }
    return reply;
  }
}

function outcomeOf(fold: ReviseItemFold, rounds: readonly MutableRound[]): string {
  if (fold.failure !== undefined) return `failed: ${fold.failure.code}`;
  const counts = new Map<string, number>();
  for (const round of rounds) counts.set(round.status, (counts.get(round.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status.replace("-", " ")}`);
  return parts.length === 0 ? "no rounds" : parts.join(", ");
}

function facetsOf(
  fold: ReviseItemFold,
  rounds: readonly MutableRound[],
  tags: readonly string[],
): string[] {
  const facets = new Set<string>();
  for (const tag of tags) facets.add(`tag:${tag}`);
  if (fold.failure !== undefined) facets.add(`failure:${fold.failure.code}`);
  for (const round of rounds) {
    if (round.principle !== undefined) facets.add(`principle:${round.principle}`);
    facets.add(`round:${round.status}`);
    for (const rule of round.rejectedBy) facets.add(`rule:${rule}=rejected`);
    for (const check of round.rules) {
      if (check.kind === "flag" && check.holds) facets.add(`flag:${check.rule}`);
      else if (check.kind === "require")
        facets.add(`rule:${check.rule}=${check.holds ? "passed" : "failed"}`);
    }
    for (const finish of round.finishReasons)
      facets.add(`finish:${finish.split(": ")[1] ?? finish}`);
  }
  for (const check of fold.recheck) if (!check.clean) facets.add(`flag:recheck:${check.principle}`);
  return [...facets];
}

/** The item's full detail (texts without diffs; the caller adds diffs for the sample). */
function detailOf(
  fold: ReviseItemFold,
  rounds: readonly MutableRound[],
  tags: readonly string[],
): ReviseDetail {
  const detailRounds: RoundDetail[] = rounds.map((round) => ({ ...round }));
  const finalReply = fold.finalReply();
  return {
    kind: "revise",
    prompt: fold.prompt,
    tags,
    ...(fold.firstReply === undefined ? {} : { firstReply: fold.firstReply }),
    given: fold.given,
    rounds: detailRounds,
    ...(finalReply === undefined ? {} : { finalReply }),
    recheck: fold.recheck,
    ...(fold.failure === undefined ? {} : { failure: fold.failure }),
  };
}

/** Receives each finished item: its summary, and a thunk for its detail (built only if sampled). */
export type ItemSink<D> = (summary: Omit<ItemSummary, "run" | "detailed">, detail: () => D) => void;

/**
 * Folds a Phase 1 trace stream into summaries and (via `sink`) details. `tagsOf` gives an item's
 * input tags where the input file is at hand.
 */
export async function foldReviseTrace(
  events: AsyncIterable<Json>,
  sink: ItemSink<ReviseDetail>,
  tagsOf: (id: string) => readonly string[] = () => [],
): Promise<void> {
  let fold: ReviseItemFold | undefined;
  const finish = (done: ReviseItemFold): void => {
    const rounds = done.orderedRounds();
    const tags = tagsOf(done.id);
    sink(
      {
        id: done.id,
        text: snippet(done.promptText()),
        outcome: outcomeOf(done, rounds),
        facets: facetsOf(done, rounds, tags),
      },
      () => detailOf(done, rounds, tags),
    );
  };
  for await (const event of events) {
    const id = text(event.item);
    if (id === undefined) continue;
    if (fold === undefined || fold.id !== id) {
      if (fold !== undefined) finish(fold);
      fold = new ReviseItemFold(id);
    }
    fold.add(event);
  }
  if (fold !== undefined) finish(fold);
}
