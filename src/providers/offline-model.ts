// `offline:rehearsal`: a deterministic stand-in model. No key, no network; every reply is derived
// from the request, so a dry run or CI run of the whole pipeline gives the same bytes every time.

import { canonicalJson, sha256Hex } from "../io/index.js";
import { estimateTokens } from "./estimate-tokens.js";
import type { Transport, TransportReply } from "./transport.js";
import type {
  ChatMessage,
  ChatRequest,
  RequestPurpose,
  TokenLogprob,
  TopLogprob,
} from "./types.js";

/** The marker the default critique template asks a model to write when nothing needs changing. */
export const DEFAULT_NO_CHANGE_MARKER = "NO_CHANGES";

/**
 * Prefix on every free-text rehearsal reply (judge answers and the no-change marker stay bare so
 * they parse like a model's).
 */
export const REHEARSAL_PREFIX = "[rehearsal]";

export interface OfflineModelOptions {
  /**
   * What a critique answers when it finds nothing to change (default `NO_CHANGES`); given only to
   * critique requests whose text contains it, about one in three.
   */
  readonly noChangeMarker?: string;
}

/** Words that make the rehearsal judge lean away from an option: a crude, stable heuristic. */
const RISKY =
  /\b(kill|weapon|bomb|hack|steal|illegal|poison|definitely|guaranteed|always|stupid|hate)\b/gi;
/** Filler alternatives that pad the judge's top log-probabilities after "A" and "B". */
const FILLERS = [" (", "The", "C", "Both", "Neither", "I", "Option", "Answer", "D", "None"];

export function createOfflineTransport(name: string, options: OfflineModelOptions = {}): Transport {
  const marker = options.noChangeMarker ?? DEFAULT_NO_CHANGE_MARKER;
  return {
    provider: "offline",
    model: name,
    endpoint: "offline",
    capabilities: { logprobs: true, maxTopLogprobs: 20, assistantPrefill: true },
    remote: false,
    defaults: {},
    secrets: [],
    send(request: ChatRequest): Promise<TransportReply> {
      return Promise.resolve(rehearse(request, name, marker));
    },
  };
}

/** The rehearsal reply to one request. Pure: the same request always gives the same reply. */
export function rehearse(request: ChatRequest, served: string, marker: string): TransportReply {
  // A seed (sent with sampled calls) gives other samples, as it would from a hosted model.
  const seed = request.params?.seed;
  const digest = sha256Hex(
    canonicalJson({
      m: request.messages,
      s: request.sampleIndex ?? 0,
      ...(seed === undefined ? {} : { seed }),
    }),
  );
  const purpose = request.purpose ?? inferPurpose(request.messages);
  const ask = lastUserText(request.messages);
  const ref = digest.slice(0, 8);
  let text: string;
  let logprobs: TokenLogprob[] | undefined;
  switch (purpose) {
    case "reply":
    case "generate":
      text = `${REHEARSAL_PREFIX} A careful, helpful answer to "${snippet(ask)}". (ref ${ref})`;
      break;
    case "critique":
      // The bare marker, as a model that follows the instruction gives it, and only when the
      // request asks for it: a critique request that never mentions it gets a critique.
      text =
        marker !== "" && ask.includes(marker) && unit(digest, 0) < 1 / 3
          ? marker
          : `${REHEARSAL_PREFIX} Critique: the reply could state its limits more plainly and avoid overclaiming. (ref ${ref})`;
      break;
    case "revision":
    case "recheck":
      text = `${REHEARSAL_PREFIX} A revised answer that addresses the critique, for "${snippet(ask)}". (ref ${ref})`;
      break;
    case "judge": {
      const judged = judge(ask, digest, request.params?.topLogprobs ?? 0);
      // Two tokens, "A" and ")", so maxTokens 1 gives the bare letter as a hosted model would.
      logprobs = judged.logprobs.slice(0, Math.max(1, request.params?.maxTokens ?? 2));
      text = logprobs.map((entry) => entry.token).join("");
      break;
    }
    case "criterion": {
      const probabilityYes = criterionYes(ask, digest);
      logprobs = yesNoLogprobs(probabilityYes, request.params?.topLogprobs ?? 0);
      // A sampled (vote) answer is a word a parser reads, marked; a log-probability read stays bare.
      text = request.params?.logprobs === true ? (logprobs[0]?.token ?? "Yes") : "";
      if (request.params?.logprobs !== true)
        text = `${unit(digest, 2) < probabilityYes ? "Yes" : "No"} ${REHEARSAL_PREFIX}`;
      break;
    }
    case "criterion-scale":
      text = `${Math.round(10 * criterionYes(ask, digest))} ${REHEARSAL_PREFIX}`;
      break;
    case "rubric":
      text = rehearsalRubric(ask);
      break;
    case "judge-cot": {
      const { choice } = judge(ask, digest, 0);
      const other = choice === "A" ? "B" : "A";
      text =
        `${REHEARSAL_PREFIX} Let's think step by step. Reply (${choice}) follows the principle more ` +
        `closely than reply (${other}), which overstates or takes more risk. The answer is (${choice})`;
      break;
    }
  }
  const params = request.params ?? {};
  let finishReason = "stop";
  for (const stop of params.stop ?? []) {
    const at = stop === "" ? -1 : text.indexOf(stop);
    if (at >= 0) text = text.slice(0, at);
  }
  if (params.maxTokens !== undefined && estimateTokens(text) > params.maxTokens) {
    text = text.slice(0, Math.max(0, params.maxTokens * 4));
    finishReason = "length";
  }
  if (params.logprobs === true && logprobs === undefined)
    logprobs = plainLogprobs(text, params.topLogprobs ?? 0);
  const input = request.messages.map((message) => message.content).join("\n");
  return {
    text,
    ...(params.logprobs === true && logprobs !== undefined ? { logprobs } : {}),
    usage: {
      inputTokens: estimateTokens(input),
      outputTokens: estimateTokens(text),
      cachedTokens: 0,
    },
    model: served,
    finishReason,
  };
}

/** Guesses what a request is for from its wording, for callers that do not say. */
export function inferPurpose(messages: readonly ChatMessage[]): RequestPurpose {
  const last = messages[messages.length - 1];
  if (last?.role === "assistant" && /\(\s*$/.test(last.content)) return "judge";
  const text = lastUserText(messages).toLowerCase();
  if (text.includes("(a)") && text.includes("(b)"))
    return /step by step|think|reason/.test(text) ? "judge-cot" : "judge";
  if (/\b(rewrite|revise|revision)\b/.test(text)) return "revision";
  if (/\b(critique|critici[sz]e|identify|point out)\b/.test(text)) return "critique";
  return "reply";
}

function judge(
  question: string,
  digest: string,
  topCount: number,
): { choice: "A" | "B"; logprobs: TokenLogprob[] } {
  const [optionA, optionB] = splitOptions(question);
  // A mild content preference plus a hash-derived nudge: stable, not a pure coin flip.
  const delta = score(optionA) - score(optionB);
  const noise = (unit(digest, 1) - 0.5) * 2;
  const probabilityA = 1 / (1 + Math.exp(-(1.5 * delta + noise)));
  const choice = probabilityA >= 0.5 ? "A" : "B";
  const spread = 0.02 / FILLERS.length;
  const ranked: TopLogprob[] = [
    { token: "A", logprob: Math.log(probabilityA * 0.98) },
    { token: "B", logprob: Math.log((1 - probabilityA) * 0.98) },
  ].sort((x, y) => y.logprob - x.logprob);
  ranked.push(...FILLERS.map((token) => ({ token, logprob: Math.log(spread) })));
  const chosen = ranked[0] ?? { token: choice, logprob: 0 };
  return {
    choice,
    logprobs: [
      { token: chosen.token, logprob: chosen.logprob, top: ranked.slice(0, topCount) },
      { token: ")", logprob: -0.001, top: [{ token: ")", logprob: -0.001 }].slice(0, topCount) },
    ],
  };
}

/**
 * P(yes) for a rubric criterion: a rehearsal reply usually meets a positive criterion and avoids
 * a pitfall; risky words in the reply push the other way; the request's hash adds a stable nudge.
 */
function criterionYes(question: string, digest: string): number {
  const pitfall = /\bpitfall\b/i.test(question) ? -1 : 1;
  const reply =
    question.match(/Assistant:([\s\S]*?)(?:\n\n[A-Z][^\n]*criterion|$)/)?.[1] ?? question;
  const risky = reply.match(RISKY)?.length ?? 0;
  const noise = (unit(digest, 1) - 0.5) * 2;
  return 1 / (1 + Math.exp(-(pitfall * (1.2 - risky) + noise)));
}

function yesNoLogprobs(probabilityYes: number, topCount: number): TokenLogprob[] {
  const spread = 0.02 / FILLERS.length;
  const ranked: TopLogprob[] = [
    { token: "Yes", logprob: Math.log(probabilityYes * 0.98) },
    { token: "No", logprob: Math.log((1 - probabilityYes) * 0.98) },
  ].sort((x, y) => y.logprob - x.logprob);
  ranked.push(...FILLERS.map((token) => ({ token, logprob: Math.log(spread) })));
  const chosen = ranked[0] as TopLogprob;
  return [{ token: chosen.token, logprob: chosen.logprob, top: ranked.slice(0, topCount) }];
}

/** A rubric as `charter rubrics` asks for one: a JSON list, as many criteria as the ask's minimum. */
function rehearsalRubric(ask: string): string {
  const range = /between (\d+) and (\d+) criteria/i.exec(ask);
  const count = Math.max(2, Number(range?.[1] ?? 4));
  const topic = snippet(ask.match(/Human:\s*([^\n]*)/)?.[1] ?? ask).slice(0, 40);
  const criteria = [
    {
      criterion: `${REHEARSAL_PREFIX} Answers what was asked: "${topic}"`,
      weight: 5,
      kind: "essential",
    },
    {
      criterion: `${REHEARSAL_PREFIX} Overstates certainty or invents facts`,
      weight: -3,
      kind: "pitfall",
    },
  ];
  for (let index = 2; index < count; index++)
    criteria.push({
      criterion: `${REHEARSAL_PREFIX} Covers point ${index - 1} a careful answer would include`,
      weight: index % 2 === 0 ? 3 : 1,
      kind: index % 2 === 0 ? "important" : "optional",
    });
  return JSON.stringify(criteria, null, 2);
}

/** The text of option (A) and option (B) in a multiple-choice question ("" when absent). */
function splitOptions(question: string): [string, string] {
  // Options usually start lines; fall back to the first mention anywhere.
  const a = firstOf(question, /(^|\n)\s*\(A\)/, "(A)");
  const b = firstOf(question, /(^|\n)\s*\(B\)/, "(B)");
  if (a < 0 || b < 0 || b < a) return ["", ""];
  return [question.slice(a + 3, b), question.slice(b + 3)];
}

function firstOf(text: string, lineStart: RegExp, anywhere: string): number {
  const match = lineStart.exec(text);
  return match === null ? text.indexOf(anywhere) : text.indexOf(anywhere, match.index);
}

function score(option: string): number {
  const risky = option.match(RISKY)?.length ?? 0;
  const revised = /revised answer/i.test(option) ? 1 : 0;
  return revised - risky;
}

function plainLogprobs(text: string, topCount: number): TokenLogprob[] {
  return (text.match(/\s*\S+/g) ?? []).map((token) => ({
    token,
    logprob: -0.05,
    top: [
      { token, logprob: -0.05 },
      { token: " and", logprob: -3.2 },
    ].slice(0, topCount),
  }));
}

/** A number in [0, 1) from 4 bytes of the digest at a slot. */
function unit(digest: string, slot: number): number {
  return Number.parseInt(digest.slice(slot * 8, slot * 8 + 8), 16) / 2 ** 32;
}

function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return message.content;
  }
  return "";
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
