// Readable principle ids for files that give none: the first telling words of the text
// (`identify-specific-ways-harmful`), made unique in the file.

/** Words that say nothing about which principle it is ("Please choose the response that ..."). */
const FILLER = new Set(
  (
    "a an the and or of to in on for with as is are be it its this that these those which what " +
    "whether any all more most less least than so such very please choose select pick identify " +
    "discuss explain read consider compare rewrite revise response responses assistant assistants " +
    "reply replies human humans ai model s last preceding way ways one if also should would can " +
    "does did do your you their there how specific possible point out anything something " +
    "someone say tell state check list previous make given provided could may might will"
  ).split(" "),
);

const MAX_WORDS = 4;

/** Words the lexer never takes as a name. */
const RESERVED = new Set(["matches", "contains", "startswith", "endswith", "not", "true", "false"]);

/**
 * An id from `text`: up to four of its telling words in kebab-case (or its first words when all are
 * filler), never starting with a digit; `fallback` when the text has no word at all.
 *
 * @example readableId("Please choose the response that is most honest and harmless.", "p1") // "honest-harmless"
 */
export function readableId(text: string, fallback: string): string {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const telling = words.filter((word) => !FILLER.has(word) && word.length > 1);
  const chosen = (telling.length > 0 ? telling : words).slice(0, MAX_WORDS);
  if (chosen.length === 0) return fallback;
  const id = chosen.join("-");
  if (RESERVED.has(id)) return `${id}-principle`;
  return /^[a-z_]/.test(id) ? id : `p${id}`;
}

/** `id`, or `id-2`, `id-3`... : the first not in `used`, which it joins. */
export function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}
