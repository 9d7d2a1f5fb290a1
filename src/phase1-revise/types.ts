// The shapes Phase 1 passes between its stages: an input row, the options of the loop, and what
// one item's critique-and-revise rounds produced (which the output formats then lay out).

import type { CallSettings, ChatMessage } from "../providers/index.js";

/** One prompt to revise, as read from the input file. */
export interface PromptInput {
  /** The conversation up to and including the user's last turn. */
  readonly messages: readonly ChatMessage[];
  /** A first reply given by the row: no first reply is generated. */
  readonly response?: string;
  readonly tags: readonly string[];
  /** 1-based line of the row in the input file. */
  readonly line: number;
}

export type SamplingMode = "with-replacement" | "without-replacement";
export const SAMPLING_MODES: readonly SamplingMode[] = ["with-replacement", "without-replacement"];

export type SftFormat = "trl" | "openai" | "hf-cai";
export const SFT_FORMATS: readonly SftFormat[] = ["trl", "openai", "hf-cai"];

export type EmitMode = "final" | "all-rounds";
export const EMIT_MODES: readonly EmitMode[] = ["final", "all-rounds"];

/** Everything about the loop that changes results (all of it goes into the manifest). */
export interface LoopOptions {
  /** Critique/revise rounds per prompt. */
  readonly revisions: number;
  readonly sampling: SamplingMode;
  /** After the last round, ask every used principle's critique again against the final reply. */
  readonly recheck: boolean;
  /** A critique equal to this (ignoring case, spaces and final punctuation) means "nothing to change". */
  readonly noChangeMarker: string;
  /** Parameters and system message of each purpose's calls (a recheck asks as a critique). */
  readonly calls: Readonly<Record<Phase1Purpose, CallSettings>>;
}

/** The purposes of Phase 1's calls, each with its own settings. */
export type Phase1Purpose = "reply" | "critique" | "revision";
export const PHASE1_PURPOSES: readonly Phase1Purpose[] = ["reply", "critique", "revision"];

/** What happened in one round. */
export type RoundStatus =
  /** The revision replaced the reply. */
  | "revised"
  /** The critique answered the no-change marker: no revision was asked for. */
  | "no-change"
  /** A `require` rule failed at the critique or revision stage: the previous reply was kept. */
  | "rejected"
  /** No principle was eligible: nothing was asked. */
  | "skipped";

export interface RoundResult {
  /** 1-based. */
  readonly round: number;
  readonly status: RoundStatus;
  readonly principleId?: string;
  /** The critique request turn as sent (its user text). */
  readonly critiqueRequest?: string;
  readonly critique?: string;
  readonly revisionRequest?: string;
  readonly revision?: string;
  /** The reply before and after this round (equal unless `revised`). */
  readonly before: string;
  readonly after: string;
  /** Rules whose `require` failed (status `rejected`) or whose `flag` held. */
  readonly rejectedBy?: readonly string[];
  readonly flaggedBy?: readonly string[];
}

/**
 * A used principle against the final reply: `passes` (its critique is the no-change marker),
 * `regressed` (it passed at round `passedAtRound` and fails now: a later revision undid it) or
 * `still-fails` (it never passed).
 */
export type RecheckStatus = "passes" | "regressed" | "still-fails";

export interface RecheckResult {
  readonly principleId: string;
  /** The critique answered the no-change marker against the final reply. */
  readonly clean: boolean;
  readonly status: RecheckStatus;
  /** The last round whose critique for this principle answered the no-change marker. */
  readonly passedAtRound?: number;
  readonly critique: string;
}

/** One item's journey from first reply to final revision. */
export interface RevisedItem {
  readonly id: string;
  readonly input: PromptInput;
  readonly initialResponse: string;
  readonly finalResponse: string;
  readonly rounds: readonly RoundResult[];
  readonly recheck?: readonly RecheckResult[];
}
