// One criterion, one reply, one judge: P(the criterion holds) by one of three methods. `logprobs`
// reads P(yes) at the answer token (the shared reader Phase 2 uses for its letters), `vote` counts
// sampled yes answers, `scale` averages sampled 0-10 scores (RLCF) and divides by 10.

import { CharterError } from "../errors.js";
import {
  optionMass,
  optionShare,
  parseOptionAnswer,
  sampleAnswers,
  YES_NO_OPTIONS,
  type CallLedger,
  type ChatMessage,
  type ChatModel,
} from "../providers/index.js";

export type ScoreMethod = "logprobs" | "vote" | "scale";
export const SCORE_METHODS: readonly ScoreMethod[] = ["logprobs", "vote", "scale"];

/** A judge that cannot answer the way it was asked (log-probabilities from Anthropic). */
export class ScoreCapabilityError extends CharterError {
  constructor(message: string) {
    super("judge-capability", message);
  }
}

export interface ScoreMethodSettings {
  readonly method: ScoreMethod;
  /** Answers sampled for `vote` and `scale` (logprobs asks once). */
  readonly samples: number;
  /** Sampling temperature for `vote`, and for `scale` with more than one sample. */
  readonly temperature: number;
  /** Alternatives requested at the answer token for `logprobs` (capped by the model). */
  readonly topLogprobs: number;
  /** Extra attempts for an answer that is neither yes/no nor a 0-10 number, then a failure. */
  readonly parseRetries: number;
}

export type CriterionAnswer =
  | {
      readonly ok: true;
      /** P(the criterion holds), in [0, 1]. */
      readonly probability: number;
      /** Method details: yes/no masses, votes, scores. */
      readonly detail: Readonly<Record<string, number | string>>;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Refuses, before any call, a judge that cannot answer by its method: `logprobs` needs a model that
 * returns top log-probabilities.
 */
export function checkScoreJudge(model: ChatModel, settings: ScoreMethodSettings): void {
  if (settings.method !== "logprobs") return;
  if (!model.capabilities.logprobs || model.capabilities.maxTopLogprobs < 1)
    throw new ScoreCapabilityError(
      `${model.id} gives no token log-probabilities, so --method logprobs cannot work with it; ` +
        `use --method vote or --method scale for this judge`,
    );
}

async function askLogprobs(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: ScoreMethodSettings,
  ledger: CallLedger,
  signal: AbortSignal | undefined,
): Promise<CriterionAnswer> {
  const topLogprobs = Math.max(
    1,
    Math.min(settings.topLogprobs, model.capabilities.maxTopLogprobs),
  );
  // A retry must differ from the cached first attempt, so each attempt has its own sampleIndex.
  for (let attempt = 0; attempt <= settings.parseRetries; attempt++) {
    // Only the answer token is read: a reply cut after it is complete for this purpose.
    const response = await ledger.complete(model, {
      request: {
        messages,
        params: { temperature: 0, maxTokens: 3, logprobs: true, topLogprobs },
        sampleIndex: attempt,
        purpose: "criterion",
        ...(signal === undefined ? {} : { signal }),
      },
      readsPrefix: true,
    });
    const reading = optionMass(response.logprobs ?? [], YES_NO_OPTIONS);
    if ("problem" in reading) {
      if (reading.problem === "no-top-logprobs")
        throw new ScoreCapabilityError(
          `${model.id} answered without top log-probabilities (its server ignores ` +
            `\`logprobs\`/\`top_logprobs\`), so --method logprobs cannot read P(yes); use ` +
            `--method vote or --method scale for this judge`,
        );
      continue;
    }
    const detail: Record<string, number | string> = {
      massYes: reading.mass.yes,
      massNo: reading.mass.no,
    };
    if (reading.position > 0) detail["answerPosition"] = reading.position;
    if (reading.bound !== undefined) {
      detail["missing"] = reading.missing.join(",");
      detail["missingBound"] = reading.bound;
    }
    return { ok: true, probability: optionShare(reading, "yes"), detail };
  }
  return {
    ok: false,
    message: `neither Yes nor No as the answer token after ${settings.parseRetries + 1} attempt(s)`,
  };
}

// A 0-10 score: the first number in the reply ("7", "Score: 7/10", "7.5"); never 75 or 11.
const SCALE_NUMBER = /(?<![\d.])(10(?:\.0+)?|\d(?:\.\d+)?)(?![\d.])/;

/** The 0-10 score a reply states, or undefined. */
export function parseScale(text: string): number | undefined {
  const match = SCALE_NUMBER.exec(text);
  return match === null ? undefined : Number(match[1]);
}

async function askSampled(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: ScoreMethodSettings,
  ledger: CallLedger,
  signal: AbortSignal | undefined,
): Promise<CriterionAnswer> {
  const scale = settings.method === "scale";
  const samples = settings.samples;
  // One sample is a greedy reading; several need temperature to differ.
  const temperature = samples === 1 ? 0 : settings.temperature;
  const read = (text: string): number | undefined => {
    if (scale) return parseScale(text);
    const answer = parseOptionAnswer(text, YES_NO_OPTIONS);
    return answer === undefined ? undefined : answer === "yes" ? 1 : 0;
  };
  const answers = await sampleAnswers(model, ledger, {
    samples,
    parseRetries: settings.parseRetries,
    // The answer is the reply's first word or number: a reply cut after it is complete.
    call: (sampleIndex) => ({
      request: {
        messages,
        params: { temperature, maxTokens: scale ? 16 : 8 },
        sampleIndex,
        purpose: scale ? "criterion-scale" : "criterion",
        ...(signal === undefined ? {} : { signal }),
      },
      readsPrefix: true,
    }),
    read: (response) => read(response.text),
  });
  const values = answers.flatMap(({ answer }) => (answer === undefined ? [] : [answer]));
  const unparseable = samples - values.length;
  if (values.length === 0)
    return {
      ok: false,
      message: scale
        ? `no answer gave a score from 0 to 10 in ${samples} sample(s)`
        : `no answer said Yes or No in ${samples} sample(s)`,
    };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (scale) return { ok: true, probability: mean / 10, detail: { meanScore: mean, unparseable } };
  const yes = values.filter((value) => value === 1).length;
  return {
    ok: true,
    probability: mean,
    detail: { yes, no: values.length - yes, unparseable },
  };
}

/** Asks one judge about one criterion of one reply. */
export function askCriterion(
  model: ChatModel,
  messages: readonly ChatMessage[],
  settings: ScoreMethodSettings,
  ledger: CallLedger,
  signal?: AbortSignal,
): Promise<CriterionAnswer> {
  return settings.method === "logprobs"
    ? askLogprobs(model, messages, settings, ledger, signal)
    : askSampled(model, messages, settings, ledger, signal);
}
