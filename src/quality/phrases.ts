// Phrases that mark a reply as a bad training target: refusals, hedges, an assistant talking about
// being an AI, and knowledge-cutoff disclaimers. Written for this project; extend them per run
// through the config file's `quality.phrases` (added to these, never replacing them).

import { assertNever } from "../errors.js";

export type PhraseCategory = "refusal" | "hedge" | "identity" | "cutoff";
export const PHRASE_CATEGORIES: readonly PhraseCategory[] = [
  "refusal",
  "hedge",
  "identity",
  "cutoff",
];

/** The built-in lists, lower case; a space matches any run of whitespace, ' also matches ’. */
export const DEFAULT_PHRASES: Readonly<Record<PhraseCategory, readonly string[]>> = {
  refusal: [
    "i can't help with",
    "i cannot help with",
    "i can't assist",
    "i cannot assist",
    "i can't provide",
    "i cannot provide",
    "i can't do that",
    "i won't be able to",
    "i'm unable to",
    "i am unable to",
    "i'm not able to help",
    "i am not able to help",
    "i must decline",
    "i have to decline",
    "i can't comply",
    "i cannot comply",
    "i cannot fulfill",
    "i can't fulfill",
    "i'm not comfortable",
    "against my guidelines",
    "i'm sorry, but i can't",
    "i'm sorry, but i cannot",
  ],
  hedge: [
    "it's important to note",
    "it is important to note",
    "it's worth noting",
    "it is worth noting",
    "i'm not a doctor",
    "i am not a doctor",
    "i'm not a lawyer",
    "i am not a lawyer",
    "consult a professional",
    "consult with a professional",
    "seek professional advice",
    "it's always best to consult",
    "everyone's situation is different",
    "i hope this helps",
  ],
  identity: [
    "as an ai",
    "as a language model",
    "as a large language model",
    "i am an ai",
    "i'm an ai",
    "i'm just an ai",
    "i don't have personal opinions",
    "i do not have personal opinions",
    "i don't have feelings",
    "i do not have feelings",
    "trained by openai",
    "developed by openai",
    "created by openai",
    "made by anthropic",
    "i am chatgpt",
    "i'm chatgpt",
  ],
  cutoff: [
    "knowledge cutoff",
    "knowledge cut-off",
    "as of my last update",
    "as of my last training",
    "my training data only goes",
    "my training data goes up to",
    "i don't have access to real-time",
    "i do not have access to real-time",
    "i can't browse the internet",
    "i cannot browse the internet",
  ],
};

/** Extra phrases per category (from the config file). */
export type PhraseLists = Partial<Record<PhraseCategory, readonly string[]>>;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function pattern(phrase: string): string {
  return escape(phrase.toLowerCase().trim()).replace(/\s+/g, "\\s+").replace(/'/g, "['’]");
}

/** One regular expression per category over the built-in and extra phrases. */
export class PhraseMatcher {
  private readonly patterns: Record<PhraseCategory, RegExp>;

  constructor(extra: PhraseLists = {}) {
    const build = (category: PhraseCategory): RegExp =>
      new RegExp(
        [...DEFAULT_PHRASES[category], ...(extra[category] ?? [])].map(pattern).join("|"),
        "i",
      );
    this.patterns = {
      refusal: build("refusal"),
      hedge: build("hedge"),
      identity: build("identity"),
      cutoff: build("cutoff"),
    };
  }

  /** The first phrase of `category` the text contains, or undefined. */
  match(category: PhraseCategory, text: string): string | undefined {
    switch (category) {
      case "refusal":
      case "hedge":
      case "identity":
      case "cutoff":
        return this.patterns[category].exec(text)?.[0];
      default:
        return assertNever(category, "phrase category");
    }
  }
}
