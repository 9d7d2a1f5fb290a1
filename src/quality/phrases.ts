// Phrases that mark a reply as a bad training target: refusals, hedges, an assistant talking about
// being an AI, and knowledge-cutoff disclaimers. Written for this project; extend them per run
// through the config file's `quality.phrases` (added to these, never replacing them).

import { assertNever } from "../errors.js";
import { TextScanner, addAnchorBits } from "./text.js";

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

/**
 * The word of a phrase least likely to be common: its longest word without an apostrophe (whose
 * two spellings would hash apart), or undefined when every word has one.
 */
function anchorWord(phrase: string, scanner: TextScanner): number | undefined {
  scanner.scan(phrase);
  let best: number | undefined;
  let bestLength = 0;
  for (let i = 0; i < scanner.wordCount; i++) {
    const word = scanner.word(i);
    if (word.includes("'") || word.includes("’") || word.length < bestLength) continue;
    best = scanner.wordHashes[i];
    bestLength = word.length;
  }
  return best;
}

/**
 * One regular expression per category over the built-in and extra phrases, behind a cheap
 * prefilter: each phrase has an anchor word, and a reply without any anchor word cannot match, so
 * most replies never reach the regular expressions.
 */
export class PhraseMatcher {
  private readonly patterns: Record<PhraseCategory, RegExp>;
  /** Anchor word hashes in an open-addressing table (0 = empty; a typed array, since 32-bit
   * hashes above 2^30 are not small integers and a Set of them is slow). */
  private anchors = new Uint32Array(16);
  /** One bit per value of an anchor hash's low 16 bits: most words are ruled out by one load. */
  private readonly anchorBits = new Int32Array(1 << 11);
  /** Some phrase has no usable anchor: every reply goes to the regular expressions. */
  private readonly unanchored: boolean;
  /** Scans from this addition of anchor bits on have tested every word against this matcher's. */
  private readonly anchorGeneration: number;

  constructor(extra: PhraseLists = {}) {
    const scanner = new TextScanner();
    let unanchored = false;
    for (const category of PHRASE_CATEGORIES)
      for (const phrase of [...DEFAULT_PHRASES[category], ...(extra[category] ?? [])]) {
        const anchor = anchorWord(phrase, scanner);
        if (anchor === undefined) unanchored = true;
        else this.addAnchor(anchor === 0 ? 1 : anchor);
      }
    this.unanchored = unanchored;
    this.anchorGeneration = addAnchorBits(this.anchorBits);
    const build = (category: PhraseCategory): RegExp =>
      new RegExp(
        [...DEFAULT_PHRASES[category], ...(extra[category] ?? [])].map(pattern).join("|"),
        "",
      );
    this.patterns = {
      refusal: build("refusal"),
      hedge: build("hedge"),
      identity: build("identity"),
      cutoff: build("cutoff"),
    };
  }

  private addAnchor(hash: number): void {
    let count = 1;
    for (const held of this.anchors) if (held !== 0) count++;
    if (count * 4 > this.anchors.length) {
      const old = this.anchors;
      this.anchors = new Uint32Array(old.length * 4);
      for (const held of old) if (held !== 0) this.addAnchor(held);
    }
    const mask = this.anchors.length - 1;
    let slot = hash & mask;
    while (this.anchors[slot] !== 0 && this.anchors[slot] !== hash) slot = (slot + 1) & mask;
    this.anchors[slot] = hash;
    const word = (hash & 0xffff) >>> 5;
    this.anchorBits[word] = this.anchorBits[word]! | (1 << (hash & 31));
  }

  /** Whether a scanned reply has an anchor word (if not, no phrase can be in it). */
  mayMatch(scanner: TextScanner): boolean {
    if (this.unanchored) return true;
    const anchors = this.anchors;
    const bits = this.anchorBits;
    const mask = anchors.length - 1;
    const hashes = scanner.wordHashes;
    // The scan has already ruled out the words before `anchorFrom`, when it knew these anchors.
    const from = scanner.anchorGeneration >= this.anchorGeneration ? scanner.anchorFrom : 0;
    for (let i = from; i < scanner.wordCount; i++) {
      const hash = hashes[i] === 0 ? 1 : hashes[i]!;
      if ((bits[(hash & 0xffff) >>> 5]! & (1 << (hash & 31))) === 0) continue;
      for (let slot = hash & mask; anchors[slot] !== 0; slot = (slot + 1) & mask)
        if (anchors[slot] === hash) return true;
    }
    return false;
  }

  /** The first phrase of `category` the text contains (as written in it), or undefined. */
  match(category: PhraseCategory, text: string): string | undefined {
    return this.matchLowered(category, text.toLowerCase(), text);
  }

  /**
   * As `match`, given the text already lower-cased (a case-insensitive regular expression is
   * several times slower in V8 than matching lower-cased text); `original` gives the phrase as
   * written. Lower-casing keeps lengths for the scripts these phrases are in.
   */
  matchLowered(category: PhraseCategory, lowered: string, original: string): string | undefined {
    switch (category) {
      case "refusal":
      case "hedge":
      case "identity":
      case "cutoff": {
        const found = this.patterns[category].exec(lowered);
        if (found === null) return undefined;
        return lowered.length === original.length
          ? original.slice(found.index, found.index + found[0].length)
          : found[0];
      }
      default:
        return assertNever(category, "phrase category");
    }
  }
}
