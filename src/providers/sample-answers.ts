// Several sampled answers to one question: each sample on its own ledger branch, an unreadable
// reply asked again under a fresh sample index. One loop for every vote (Phase 2's comparisons,
// rubric criteria).

import type { CallLedger, LedgerCall } from "./call-ledger.js";
import type { ChatModel, ChatResponse } from "./types.js";

/** One call of a sample: its index, the reply, and what `read` made of it. */
export interface SampledAttempt<T> {
  readonly sampleIndex: number;
  readonly response: ChatResponse;
  readonly answer: T | undefined;
}

/** A sample's calls in order; `answer` is the last one's when it could be read. */
export interface SampledAnswer<T> {
  readonly answer?: T;
  readonly attempts: readonly SampledAttempt<T>[];
}

export interface SampleAnswersOptions<T> {
  readonly samples: number;
  /** Re-asks of a sample whose reply `read` cannot read, before the sample counts as unread. */
  readonly parseRetries: number;
  /** The ledger call of one attempt, given its sample index. */
  call(sampleIndex: number): LedgerCall;
  /** The answer a reply gives, or undefined to ask again. */
  read(response: ChatResponse): T | undefined;
}

/**
 * Asks `samples` answers at once. Each sample records on its own branch of `ledger`, forked in
 * sample order, so the trace never depends on timing; attempt r of sample s uses sample index
 * s + r·samples: unique within the question and stable across runs (and so across the cache).
 *
 * @example
 * const answers = await sampleAnswers(model, ledger, {
 *   samples: 5, parseRetries: 2,
 *   call: (sampleIndex) => ({ request: { messages, sampleIndex, purpose: "judge" } }),
 *   read: (response) => parseOptionAnswer(response.text, LETTER_OPTIONS),
 * });
 */
export function sampleAnswers<T>(
  model: ChatModel,
  ledger: CallLedger,
  options: SampleAnswersOptions<T>,
): Promise<SampledAnswer<T>[]> {
  const { samples, parseRetries } = options;
  const answerOf = async (sample: number): Promise<SampledAnswer<T>> => {
    const branch = ledger.fork();
    const attempts: SampledAttempt<T>[] = [];
    for (let attempt = 0; attempt <= parseRetries; attempt++) {
      const sampleIndex = sample + attempt * samples;
      const response = await branch.complete(model, options.call(sampleIndex));
      const answer = options.read(response);
      attempts.push({ sampleIndex, response, answer });
      if (answer !== undefined) return { answer, attempts };
    }
    return { attempts };
  };
  return Promise.all(Array.from({ length: samples }, (_, i) => answerOf(i)));
}
