// The critique-and-revise loop for one item: first reply (unless given), R rounds of sample →
// critique → (no-change skip | revise) with the constitution's rules at each stage, then an
// optional recheck of every used principle against the final reply. Every step goes to the trace.

import { CharterError, RunStoppingError } from "../errors.js";
import type { CompiledConstitution, RuleRecord } from "../constitution/index.js";
import {
  CallLedger,
  type CallLedgerOptions,
  type ChatMessage,
  type ChatModel,
  withSystem,
} from "../providers/index.js";
import { callSeed, type ItemContext, type SeededRandom, type WorkItem } from "../runtime/index.js";
import {
  buildCritiqueRequest,
  buildReplyRequest,
  buildRevisionRequest,
  isNoChange,
  lastUserText,
  type BuiltRequest,
  type PhaseTemplates,
} from "./prompts.js";
import { applyStageRules, type StageVerdict } from "./rules.js";
import { eligiblePrinciples, isRevisable, samplePrinciple } from "./sampling.js";
import type {
  LoopOptions,
  Phase1Purpose,
  PromptInput,
  RecheckResult,
  RevisedItem,
  RoundResult,
} from "./types.js";

export interface LoopDependencies {
  readonly model: ChatModel;
  readonly constitution: CompiledConstitution;
  readonly templates: PhaseTemplates;
  readonly options: LoopOptions;
  /** Prices and the truncation policy every call of the run is recorded with. */
  readonly calls?: CallLedgerOptions;
}

export interface LoopResult {
  /** Absent when the item failed. */
  readonly revised?: RevisedItem;
  readonly trace: unknown[];
  readonly counters: Record<string, number>;
  readonly failure?: { readonly code: string; readonly message: string };
}

/** The item's calls, trace and counters, kept by its CallLedger while it talks to the model. */
class ItemLog {
  readonly ledger: CallLedger;

  constructor(
    private readonly deps: LoopDependencies,
    private readonly signal: AbortSignal,
    random: SeededRandom,
  ) {
    this.ledger = new CallLedger({ ...deps.calls, seedFor: (key) => callSeed(random, key) });
  }

  count(name: string, amount = 1): void {
    this.ledger.count(name, amount);
  }

  event(event: Record<string, unknown>): void {
    this.ledger.event(event);
  }

  async ask(
    purpose: Phase1Purpose | "recheck",
    round: number,
    principle: string | undefined,
    messages: readonly ChatMessage[],
  ): Promise<string> {
    const calls = this.deps.options.calls[purpose === "recheck" ? "critique" : purpose];
    const response = await this.ledger.complete(this.deps.model, {
      request: {
        messages: withSystem(calls, messages),
        params: calls.params,
        purpose,
        signal: this.signal,
      },
      place: { round, ...(principle === undefined ? {} : { principle }) },
    });
    return response.text;
  }

  rules(stage: string, round: number, principle: string, verdict: StageVerdict): void {
    if (verdict.checks.length === 0) return;
    this.event({ event: "rules", stage, round, principle, checks: verdict.checks });
    if (verdict.flaggedBy.length > 0) this.count("flagged");
  }

  result(): Pick<LoopResult, "trace" | "counters"> {
    return { trace: this.ledger.trace(), counters: this.ledger.counters() };
  }
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof CharterError) return { code: error.code, message: error.message };
  return { code: "error", message: error instanceof Error ? error.message : String(error) };
}

/** One round: sample, critique, maybe revise. Returns the round and the reply after it. */
async function runRound(
  round: number,
  reply: string,
  input: PromptInput,
  used: Set<string>,
  context: ItemContext,
  deps: LoopDependencies,
  log: ItemLog,
): Promise<RoundResult> {
  const prompt = lastUserText(input.messages);
  const record: RuleRecord = { prompt, response: reply, tags: input.tags };
  const eligible = eligiblePrinciples(deps.constitution, record);
  const principle = samplePrinciple(
    eligible,
    context.random.fork(`round:${round}`),
    deps.options.sampling,
    used,
  );
  if (principle === undefined) {
    const reason = eligible.length === 0 ? "no-eligible-principle" : "eligible-principles-used";
    log.event({ event: "round-skipped", round, reason });
    log.count("rounds-skipped");
    return { round, status: "skipped", before: reply, after: reply };
  }
  used.add(principle.id);
  log.count(`principle:${principle.id}`);
  const state = { messages: input.messages, reply };
  const base = { round, principleId: principle.id, before: reply, after: reply };

  const critiqueRequest: BuiltRequest = buildCritiqueRequest(state, principle, deps.templates);
  const critique = await log.ask("critique", round, principle.id, critiqueRequest.messages);
  const asked = { ...base, critiqueRequest: critiqueRequest.text, critique };
  if (isNoChange(critique, deps.options.noChangeMarker)) {
    log.event({ event: "no-change", round, principle: principle.id });
    log.count("no-change");
    return { ...asked, status: "no-change" };
  }
  const critiqueVerdict = applyStageRules(deps.constitution.rules, "critique", {
    ...record,
    critique,
  });
  log.rules("critique", round, principle.id, critiqueVerdict);
  if (critiqueVerdict.rejectedBy.length > 0) {
    log.event({
      event: "rejected",
      stage: "critique",
      round,
      principle: principle.id,
      rules: critiqueVerdict.rejectedBy,
    });
    log.count("rejected");
    return {
      ...asked,
      status: "rejected",
      rejectedBy: critiqueVerdict.rejectedBy,
      flaggedBy: critiqueVerdict.flaggedBy,
    };
  }

  const revisionRequest = buildRevisionRequest(state, principle, deps.templates, critique);
  const revision = await log.ask("revision", round, principle.id, revisionRequest.messages);
  const revised = { ...asked, revisionRequest: revisionRequest.text, revision };
  const verdict = applyStageRules(deps.constitution.rules, "revision", {
    ...record,
    critique,
    revision,
  });
  log.rules("revision", round, principle.id, verdict);
  const flaggedBy = [...critiqueVerdict.flaggedBy, ...verdict.flaggedBy];
  if (verdict.rejectedBy.length > 0) {
    log.event({
      event: "rejected",
      stage: "revision",
      round,
      principle: principle.id,
      rules: verdict.rejectedBy,
    });
    log.count("rejected");
    return { ...revised, status: "rejected", rejectedBy: verdict.rejectedBy, flaggedBy };
  }
  log.count("revised");
  return { ...revised, status: "revised", after: revision, flaggedBy };
}

/**
 * Asks each used principle's critique again of the final reply and compares it with the rounds:
 * a principle whose critique answered the no-change marker at some round (the reply then passed
 * it) and does not now has `regressed` (a later revision undid it); one that never passed and
 * still does not `still-fails`; a clean answer `passes`.
 */
async function recheck(
  used: ReadonlySet<string>,
  rounds: readonly RoundResult[],
  input: PromptInput,
  reply: string,
  deps: LoopDependencies,
  log: ItemLog,
  round: number,
): Promise<RecheckResult[]> {
  const results: RecheckResult[] = [];
  const state = { messages: input.messages, reply };
  for (const principle of deps.constitution.principles) {
    if (!used.has(principle.id) || !isRevisable(principle)) continue;
    const request = buildCritiqueRequest(state, principle, deps.templates);
    const critique = await log.ask("recheck", round, principle.id, request.messages);
    const clean = isNoChange(critique, deps.options.noChangeMarker);
    const passedAtRound = rounds.findLast(
      (result) => result.principleId === principle.id && result.status === "no-change",
    )?.round;
    const status = clean ? "passes" : passedAtRound === undefined ? "still-fails" : "regressed";
    log.event({
      event: "recheck",
      principle: principle.id,
      clean,
      status,
      ...(passedAtRound === undefined ? {} : { passedAtRound }),
    });
    if (!clean) log.count("recheck-flagged-principles");
    if (status === "regressed") log.count("recheck-regressions");
    results.push({
      principleId: principle.id,
      clean,
      status,
      ...(passedAtRound === undefined ? {} : { passedAtRound }),
      critique,
    });
  }
  if (results.some((result) => !result.clean)) log.count("recheck-flagged-items");
  if (results.some((result) => result.status === "regressed")) log.count("recheck-regressed-items");
  return results;
}

/**
 * Runs the loop for one item. A CharterError from the model (a ProviderError after its retries)
 * fails this item only: the result carries the failure and the trace so far.
 */
export async function reviseItem(
  item: WorkItem<PromptInput>,
  context: ItemContext,
  deps: LoopDependencies,
): Promise<LoopResult> {
  const log = new ItemLog(deps, context.signal, context.random);
  const input = item.input;
  try {
    let reply: string;
    if (input.response !== undefined) {
      reply = input.response;
      log.event({ event: "given-response", round: 0 });
    } else {
      reply = await log.ask(
        "reply",
        0,
        undefined,
        buildReplyRequest(input.messages, deps.templates),
      );
    }
    const initialResponse = reply;
    const rounds: RoundResult[] = [];
    const used = new Set<string>();
    for (let round = 1; round <= deps.options.revisions; round++) {
      const result = await runRound(round, reply, input, used, context, deps, log);
      rounds.push(result);
      reply = result.after;
    }
    const rechecked = deps.options.recheck
      ? await recheck(used, rounds, input, reply, deps, log, deps.options.revisions + 1)
      : undefined;
    const revised: RevisedItem = {
      id: item.id,
      input,
      initialResponse,
      finalResponse: reply,
      rounds,
      ...(rechecked === undefined ? {} : { recheck: rechecked }),
    };
    return { revised, ...log.result() };
  } catch (error) {
    if (
      !(error instanceof CharterError) ||
      error instanceof RunStoppingError ||
      context.signal.aborted
    )
      throw error;
    const failure = describeFailure(error);
    log.event({ event: "item-failed", ...failure });
    return { ...log.result(), failure };
  }
}
