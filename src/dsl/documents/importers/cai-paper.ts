// `charter import cai-paper DIR`: the four prompt files of the Constitutional AI paper's public
// repository (anthropics/ConstitutionalHarmlessnessPaper, `prompts/`) as one constitution.
//
// Shapes read (the texts are the user's files; none is copied here):
// - CritiqueRevisionInstructions.json: {KEY: {"prompt": ["\n\nCritiqueRequest: ...\n\nCritique:"],
//   "edit_request": "\n\nRevisionRequest: ...\n\nRevision:"}} → principle KEY (critique, revise)
// - CritiqueRevisionFewShotPrompts.json: ["\n\nHuman: ...\n\nAssistant: ...\n\nCritiqueRequest: ...
//   \n\nCritique: ...\n\nRevisionRequest: ...\n\nRevision: ...\n\nHuman:"] → few-shot set
//   `critique-revision` (each example keeps its own request texts)
// - RLMadisonInstructions.json: ["\n... Options:"] → compare-only principles, readable ids
// - RLMadisonFewShotPrompts.json: [{"prompt": "\n\nHuman: ...\n\nAssistant:", "corrects": [...],
//   "incorrects": [...]}] → few-shot set `comparisons` `on pair`
// The labels (`CritiqueRequest:` ... `Critique:`, `Options:`) are framing: Charter's templates put
// them back, so the imported texts are the requests alone.

import {
  formatPath,
  importDiagnostic,
  isObject,
  readJsonSource,
  reportUnknownFields,
  sortImportDiagnostics,
  type JsonPath,
  type JsonSource,
} from "./json-source.js";
import { sanitizeId } from "./langchain.js";
import { readableId, uniqueId } from "./readable-ids.js";
import type { ImportDiagnostic, ImportOptions, ImportResult } from "./types.js";
import {
  writeCharter,
  type ImportedFewShotSet,
  type ImportedPrinciple,
} from "../../print/write-charter.js";

/** The paper's four files, by role; each `{file, text}` as read from the directory. */
export interface CaiPaperFiles {
  readonly critiqueInstructions?: PaperFile;
  readonly critiqueFewShots?: PaperFile;
  readonly compareInstructions?: PaperFile;
  readonly compareFewShots?: PaperFile;
}

export interface PaperFile {
  readonly file: string;
  readonly text: string;
}

/** File names in the paper's `prompts/` folder, by role. */
export const CAI_PAPER_FILES: Readonly<Record<keyof CaiPaperFiles, string>> = {
  critiqueInstructions: "CritiqueRevisionInstructions.json",
  critiqueFewShots: "CritiqueRevisionFewShotPrompts.json",
  compareInstructions: "RLMadisonInstructions.json",
  compareFewShots: "RLMadisonFewShotPrompts.json",
};

/** The paper's transcript labels, as its few-shot prompts write them. */
const LABELS = ["Human", "Assistant", "CritiqueRequest", "Critique", "RevisionRequest", "Revision"];
const LABEL_SPLIT = new RegExp(`\\n\\n(?=(?:${LABELS.join("|")}):)`);
/** The keywords of a few-shot example, by paper label. */
const KEYWORDS: Readonly<Record<string, string>> = {
  Human: "user",
  Assistant: "assistant",
  CritiqueRequest: "critique-request",
  Critique: "critique",
  RevisionRequest: "revision-request",
  Revision: "revision",
};

type Field = readonly [string, string];

/** `"\n\nLabel: text\n\nAnswer:"` → `text`; text without that framing is only trimmed. */
function unframe(text: string, label: string, answer?: string): string {
  let body = text.trim();
  if (body.startsWith(`${label}:`)) body = body.slice(label.length + 1);
  if (answer !== undefined && body.endsWith(`${answer}:`))
    body = body.slice(0, -(answer.length + 1));
  return body.trim();
}

/** One transcript as labelled parts, in order; the trailing empty `Human:` separator dropped. */
function labelledParts(text: string): { label: string; content: string }[] | undefined {
  const parts = text
    .split(LABEL_SPLIT)
    .map((part) => part.replace(/^\n+/, ""))
    .filter((part) => part !== "");
  const result: { label: string; content: string }[] = [];
  for (const part of parts) {
    const colon = part.indexOf(":");
    const label = part.slice(0, colon);
    if (colon < 0 || !LABELS.includes(label)) return undefined;
    result.push({ label, content: part.slice(colon + 1).trim() });
  }
  const last = result.at(-1);
  if (last !== undefined && last.content === "" && last.label === "Human") result.pop();
  return result;
}

class PaperImporter {
  readonly diagnostics: ImportDiagnostic[] = [];
  readonly used = new Set<string>();
  readonly principles: ImportedPrinciple[] = [];
  readonly fewShots: ImportedFewShotSet[] = [];

  read(file: PaperFile | undefined): JsonSource | undefined {
    if (file === undefined) return undefined;
    const { source, diagnostics } = readJsonSource(file.text, file.file);
    this.diagnostics.push(...diagnostics);
    return source;
  }

  private shape(source: JsonSource, path: JsonPath, message: string): void {
    this.diagnostics.push(importDiagnostic("invalid-shape", message, source.locate(path)));
  }

  private skip(source: JsonSource, path: JsonPath, message: string): void {
    this.diagnostics.push(importDiagnostic("unmatched-example", message, source.locate(path)));
  }

  critiques(source: JsonSource): void {
    const root = source.value;
    if (!isObject(root)) {
      this.shape(source, [], 'expected {"KEY": {"prompt": ["..."], "edit_request": "..."}, ...}');
      return;
    }
    for (const [index, [key, entry]] of Object.entries(root).entries()) {
      const at = [key];
      if (!isObject(entry)) {
        this.shape(source, at, `${key} should be {"prompt", "edit_request"}; skipped`);
        continue;
      }
      this.diagnostics.push(...reportUnknownFields(source, entry, at, ["prompt", "edit_request"]));
      const prompts = Array.isArray(entry.prompt) ? entry.prompt : [entry.prompt];
      const critique = prompts[0];
      if (typeof critique !== "string" || typeof entry.edit_request !== "string") {
        this.diagnostics.push(
          importDiagnostic(
            "missing-field",
            `${key} needs "prompt" (a list of strings) and "edit_request" (a string); skipped`,
            source.locate(at),
          ),
        );
        continue;
      }
      for (let extra = 1; extra < prompts.length; extra++) {
        this.skip(
          source,
          [key, "prompt", extra],
          `${formatPath([key, "prompt", extra])}: a principle has one critique request; only prompt[0] is imported`,
        );
      }
      const id = uniqueId(sanitizeId(key, index + 1), this.used);
      this.principles.push({
        id,
        critique: unframe(critique, "CritiqueRequest", "Critique"),
        revise: unframe(entry.edit_request, "RevisionRequest", "Revision"),
      });
    }
  }

  critiqueFewShots(source: JsonSource): void {
    const root = source.value;
    if (!Array.isArray(root)) {
      this.shape(source, [], 'expected a list of transcripts ("\\n\\nHuman: ...")');
      return;
    }
    const examples: Field[][] = [];
    for (const [index, text] of root.entries()) {
      if (typeof text !== "string") {
        this.shape(source, [index], `[${index}] should be a transcript string; skipped`);
        continue;
      }
      const parts = labelledParts(text);
      const fields = parts?.map((part): Field => [KEYWORDS[part.label] ?? "user", part.content]);
      if (fields === undefined || !isTranscript(fields)) {
        this.skip(
          source,
          [index],
          `[${index}] is not Human/Assistant turns followed by CritiqueRequest, Critique, RevisionRequest, Revision; not imported`,
        );
        continue;
      }
      examples.push(fields);
    }
    if (examples.length > 0) {
      this.fewShots.push({
        id: uniqueId("critique-revision", this.used),
        comment: `${source.file}: before every critique and revision request, in this order.`,
        stages: ["critique", "revision"],
        examples,
      });
    }
  }

  compares(source: JsonSource): void {
    const root = source.value;
    if (!Array.isArray(root)) {
      this.shape(source, [], 'expected a list of questions ("... Options:")');
      return;
    }
    for (const [index, text] of root.entries()) {
      if (typeof text !== "string" || text.trim() === "") {
        this.shape(source, [index], `[${index}] should be a question string; skipped`);
        continue;
      }
      const question = unframe(text, "", "Options");
      const id = uniqueId(readableId(question, `compare-${index + 1}`), this.used);
      this.principles.push({ id, compare: [question] });
    }
  }

  compareFewShots(source: JsonSource): void {
    const root = source.value;
    if (!Array.isArray(root)) {
      this.shape(source, [], 'expected a list of {"prompt", "corrects", "incorrects"}');
      return;
    }
    const examples: Field[][] = [];
    for (const [index, entry] of root.entries()) {
      const at = [index];
      if (!isObject(entry)) {
        this.shape(
          source,
          at,
          `[${index}] should be {"prompt", "corrects", "incorrects"}; skipped`,
        );
        continue;
      }
      this.diagnostics.push(
        ...reportUnknownFields(source, entry, at, ["prompt", "corrects", "incorrects"]),
      );
      const parts = typeof entry.prompt === "string" ? labelledParts(entry.prompt) : undefined;
      // The prompt ends with an empty "Assistant:": the options answer there.
      const cue = parts?.at(-1);
      const turns = parts
        ?.slice(0, -1)
        .map((part): Field => [KEYWORDS[part.label] ?? "", part.content]);
      const strings = (value: unknown): string[] =>
        Array.isArray(value)
          ? value.filter((item): item is string => typeof item === "string")
          : [];
      const corrects = strings(entry.corrects);
      const incorrects = strings(entry.incorrects);
      if (
        turns === undefined ||
        cue?.label !== "Assistant" ||
        cue.content !== "" ||
        !alternates(turns) ||
        turns.at(-1)?.[0] !== "user" ||
        corrects.length === 0 ||
        incorrects.length === 0
      ) {
        this.skip(
          source,
          at,
          `[${index}] needs a prompt of Human/Assistant turns ending in an empty "Assistant:", and at least one correct and one incorrect reply; not imported`,
        );
        continue;
      }
      // Every correct reply against every incorrect one; the correct side alternates between
      // (A) and (B), so the examples teach no position.
      for (const correct of corrects) {
        for (const incorrect of incorrects) {
          const correctFirst = examples.length % 2 === 0;
          examples.push([
            ...turns,
            ["response-a", (correctFirst ? correct : incorrect).trim()],
            ["response-b", (correctFirst ? incorrect : correct).trim()],
            ["answer", correctFirst ? "A" : "B"],
          ]);
        }
      }
    }
    if (examples.length > 0) {
      this.fewShots.push({
        id: uniqueId("comparisons", this.used),
        comment: `${source.file}: labelled comparisons before every judge question; the correct reply alternates between (A) and (B).`,
        stages: ["pair"],
        examples,
      });
    }
  }
}

/** user/assistant turns, user first, alternating. */
function alternates(turns: readonly Field[]): boolean {
  return turns.every(([keyword], index) => keyword === (index % 2 === 0 ? "user" : "assistant"));
}

/** Turns ending with the reply, then the four steps in order (the last two optional). */
function isTranscript(fields: readonly Field[]): boolean {
  const firstStep = fields.findIndex(([keyword]) => keyword !== "user" && keyword !== "assistant");
  const turns = firstStep < 0 ? fields : fields.slice(0, firstStep);
  const steps = firstStep < 0 ? [] : fields.slice(firstStep).map(([keyword]) => keyword);
  const order = ["critique-request", "critique", "revision-request", "revision"];
  return (
    turns.length > 0 &&
    alternates(turns) &&
    turns.at(-1)?.[0] === "assistant" &&
    steps.every((keyword, index) => keyword === order[index]) &&
    (steps.length === 2 || steps.length === 4)
  );
}

/**
 * Converts the paper's prompt files to .charter source: critique/revise principles, compare
 * principles, the critique/revision few-shot transcripts and the judge's labelled comparisons.
 *
 * @example importCaiPaper({ critiqueInstructions: { file: "CritiqueRevisionInstructions.json", text } }, { file: "prompts" })
 */
export function importCaiPaper(files: CaiPaperFiles, options: ImportOptions): ImportResult {
  const importer = new PaperImporter();
  const readers: readonly [keyof CaiPaperFiles, (source: JsonSource) => void][] = [
    ["critiqueInstructions", (source) => importer.critiques(source)],
    ["compareInstructions", (source) => importer.compares(source)],
    ["critiqueFewShots", (source) => importer.critiqueFewShots(source)],
    ["compareFewShots", (source) => importer.compareFewShots(source)],
  ];
  for (const [role, read] of readers) {
    const source = importer.read(files[role]);
    if (source !== undefined) read(source);
  }
  // By file, in the order the files are read, then by position in each.
  const order = readers.map(([role]) => files[role]?.file);
  const diagnostics = sortImportDiagnostics(importer.diagnostics).sort(
    (a, b) => order.indexOf(a.range.file) - order.indexOf(b.range.file),
  );
  const { principles, fewShots } = importer;
  if (principles.length === 0) return { text: "", diagnostics };
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const revisable = principles.filter((principle) => principle.critique !== undefined).length;
  const comparing = principles.length - revisable;
  const shots = (stage: string) =>
    fewShots
      .filter((set) => set.stages.includes(stage))
      .reduce((sum, set) => sum + set.examples.length, 0);
  const text = writeCharter({
    comments: [
      `Imported by \`charter import cai-paper\` from ${options.file}.`,
      "Set up as in the paper: 4 revision rounds, principles drawn with replacement, its own",
      "CritiqueRequest/RevisionRequest framing and no no-change skip (the paper always revised).",
    ],
    name: options.name ?? "cai-paper",
    version: options.version ?? "0.1.0",
    about: `Imported from the Constitutional AI paper's prompt files in ${options.file}: ${count(revisable, "critique/revision principle")}, ${count(comparing, "compare principle")}, ${count(shots("critique"), "few-shot transcript")}, ${count(shots("pair"), "labelled comparison")}.`,
    defaults: [
      ["revisions", 4],
      ["sampling", "with-replacement"],
      ["no-change-marker", ""],
    ],
    principles,
    fewShots,
    templates: [
      ["critique-request", "CritiqueRequest: {{principle.critique}}"],
      ["revision-request", "RevisionRequest: {{principle.revise}}"],
    ],
  });
  return { text, diagnostics };
}
