// The three ways to get P(option A is better) from a judge for one question in one order:
// top log-probabilities of the answer token, a vote of sampled answers, or chain of thought.

import { RunStoppingError } from "../errors.js";
import {
  LETTER_OPTIONS,
  optionMass,
  optionShare,
  parseOptionAnswer,
  sampleAnswers,
  type CallLedger,
  type ChatMessage,
  type ChatModel,
  type ChatResponse,
  type GenerationParams,
  type TokenLogprob,
} from "../providers/index.js";

export type Letter = "A" | "B";

/**
 * A judge that cannot answer the way it was asked: log-probabilities from a model without them
 * (Anthropic's API), or from a server that ignores `top_logprobs`. It stops the run: every
 * question would fail the same way.
 */
export class JudgeCapabilityError extends RunStoppingError {
  constructor(message: string) {
    super("judge-capability", message);
  }
}

export type JudgeMethod = "logprobs" | "vote" | "cot";
export const JUDGE_METHODS: readonly JudgeMethod[] = ["logprobs", "vote", "cot"];

export interface MethodSettings {
  readonly method: JudgeMethod;
  /** Answers sampled for `vote` and `cot` (logprobs asks once). */
  readonly samples: number;
  /**
   * Sampling temperature for `vote` (default 1) and `cot` (default 0 for one sample, the paper's
   * greedy setting, else 1). `logprobs` always reads the greedy answer token (temperature 0).
   */
  readonly temperature?: number;
  /** Token budget of every answer; default 3 for logprobs, 8 for vote, `cotMaxTokens` for cot. */
  readonly maxTokens?: number;
  /** A system message put before each question. */
  readonly system?: string;
  /** Alternatives requested per position for `logprobs` (capped by the model). */
  readonly topLogprobs: number;
  /** Extra attempts for an answer that names no letter, before it is recorded as a failure. */
  readonly parseRetries: number;
  /** Reasoning budget for `cot` when `maxTokens` is not set. */
  readonly cotMaxTokens: number;
  /** `cot` results are clamped into [low, high]: chain-of-thought answers are overconfident. */
  readonly cotClamp: readonly [number, number];
}

/**
 * The parameters every question of a judge is sent with, by method: what the calls send and what
 * the manifest records. `logprobs` reads the greedy answer token; one `cot` sample is the paper's
 * greedy setting, several need a temperature to differ.
 */
export function judgeParams(settings: MethodSettings, model: ChatModel): GenerationParams {
  switch (settings.method) {
    case "logprobs":
      return {
        temperature: 0,
        maxTokens: settings.maxTokens ?? 3,
        logprobs: true,
        topLogprobs: Math.max(1, Math.min(settings.topLogprobs, model.capabilities.maxTopLogprobs)),
      };
    case "vote":
      return { temperature: settings.temperature ?? 1, maxTokens: settings.maxTokens ?? 8 };
    case "cot":
      return {
        temperature: settings.temperature ?? (settings.samples === 1 ? 0 : 1),
        maxTokens: settings.maxTokens ?? settings.cotMaxTokens,
      };
  }
}

/** One model call, as it goes into trace.jsonl. */
export interface CallRecord {
  readonly sampleIndex: number;
  readonly messages: readonly ChatMessage[];
  readonly text: string;
  readonly answer?: Letter;
  readonly top?: readonly { readonly token: string; readonly logprob: number }[];
  /** The model id the server says it served. */
  readonly model: string;
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly retries: number;
  readonly usage: ChatResponse["usage"];
}

export type QuestionResult =
  | {
      readonly ok: true;
      /** Probability that option (A) is the better reply. */
      readonly probabilityA: number;
      /** Method details: letter masses, votes, unparseable answers. */
      readonly detail: Readonly<Record<string, number | string>>;
      readonly calls: readonly CallRecord[];
    }
  | { readonly ok: false; readonly message: string; readonly calls: readonly CallRecord[] };

function record(
  sampleIndex: number,
  messages: readonly ChatMessage[],
  response: ChatResponse,
  answer?: Letter,
  answerPosition = 0,
): CallRecord {
  const top = response.logprobs?.[answerPosition]?.top;
  return {
    sampleIndex,
    messages,
    text: response.text,
    ...(answer === undefined ? {} : { answer }),
    ...(top === undefined ? {} : { top }),
    model: response.model,
    cached: response.cached,
    latencyMs: response.latencyMs,
    retries: response.retries,
    usage: response.usage,
  };
}

const clamp = (value: number, low: number, high: number): number =>
  Math.min(high, Math.max(low, value));

async function askLogprobs(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: MethodSettings,
  ledger: CallLedger,
  signal: AbortSignal | undefined,
): Promise<QuestionResult> {
  const calls: CallRecord[] = [];
  // A retry must differ from the cached first attempt, so each attempt has its own sampleIndex.
  for (let attempt = 0; attempt <= settings.parseRetries; attempt++) {
    // Only the answer token is read: a reply cut after it is complete for this purpose.
    const response = await ledger.complete(model, {
      request: {
        messages,
        params: judgeParams(settings, model),
        sampleIndex: attempt,
        purpose: "judge",
        ...(signal === undefined ? {} : { signal }),
      },
      readsPrefix: true,
    });
    const reading = optionMass(response.logprobs ?? ([] as TokenLogprob[]), LETTER_OPTIONS);
    if ("problem" in reading) {
      calls.push(record(attempt, messages, response));
      if (reading.problem === "no-top-logprobs")
        throw new JudgeCapabilityError(
          `${model.id}${model.url === undefined ? "" : ` at ${model.url}`} answered without ` +
            `top log-probabilities (the server ignores ` +
            `\`logprobs\`/\`top_logprobs\`), so --method logprobs cannot read P(A); use ` +
            `--method vote for this judge, or a server that returns top_logprobs`,
        );
      continue;
    }
    calls.push(record(attempt, messages, response, undefined, reading.position));
    const detail: Record<string, number | string> = {
      massA: reading.mass.A,
      massB: reading.mass.B,
    };
    if (reading.position > 0) detail["answerPosition"] = reading.position;
    if (reading.bound !== undefined) {
      detail["missing"] = reading.missing.join(",");
      detail["missingBound"] = reading.bound;
    }
    return { ok: true, probabilityA: optionShare(reading, "A"), detail, calls };
  }
  return {
    ok: false,
    message: `neither (A) nor (B) as the answer token after ${settings.parseRetries + 1} attempt(s)`,
    calls,
  };
}

async function askSampled(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: MethodSettings,
  ledger: CallLedger,
  signal: AbortSignal | undefined,
): Promise<QuestionResult> {
  const cot = settings.method === "cot";
  const samples = settings.samples;
  const params = judgeParams(settings, model);
  const answers = await sampleAnswers(model, ledger, {
    samples,
    parseRetries: settings.parseRetries,
    // A direct answer is its first letter; a chain of thought must reach its stated answer.
    call: (sampleIndex) => ({
      request: {
        messages,
        params,
        sampleIndex,
        purpose: cot ? "judge-cot" : "judge",
        ...(signal === undefined ? {} : { signal }),
      },
      readsPrefix: !cot,
    }),
    read: (response) => parseOptionAnswer(response.text, LETTER_OPTIONS),
  });
  const calls = answers.flatMap(({ attempts }) =>
    attempts.map(({ sampleIndex, response, answer }) =>
      record(sampleIndex, messages, response, answer),
    ),
  );
  const votesA = answers.filter((answer) => answer.answer === "A").length;
  const votesB = answers.filter((answer) => answer.answer === "B").length;
  const unparseable = samples - votesA - votesB;
  if (votesA + votesB === 0)
    return { ok: false, message: `no answer named (A) or (B) in ${samples} sample(s)`, calls };
  const fraction = votesA / (votesA + votesB);
  const [low, high] = settings.cotClamp;
  const probabilityA = cot ? clamp(fraction, low, high) : fraction;
  return { ok: true, probabilityA, detail: { votesA, votesB, unparseable }, calls };
}

/** Asks one question (one principle, one order) and reads P(option A is better). */
export function askQuestion(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: MethodSettings,
  ledger: CallLedger,
  signal?: AbortSignal,
): Promise<QuestionResult> {
  return settings.method === "logprobs"
    ? askLogprobs(model, messages, settings, ledger, signal)
    : askSampled(model, messages, settings, ledger, signal);
}
