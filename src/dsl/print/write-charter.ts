// Writes an imported constitution as canonical .charter source (the layout `charter fmt` keeps).

import { block, INDENT, renderText, statement } from "./charter-text.js";

export interface ImportedExample {
  readonly prompt: string;
  readonly response: string;
  readonly critique?: string;
  readonly revision?: string;
}

export interface ImportedPrinciple {
  readonly id: string;
  readonly critique?: string;
  readonly revise?: string;
  readonly compare?: readonly string[];
  readonly examples?: readonly ImportedExample[];
}

/** A few-shot set: its examples' fields in order, as (keyword, text) pairs. */
export interface ImportedFewShotSet {
  readonly id: string;
  /** A `#` comment line above the set. */
  readonly comment?: string;
  readonly stages: readonly string[];
  readonly examples: readonly (readonly (readonly [string, string])[])[];
}

export interface ImportedConstitution {
  /** `#` lines at the top of the file, without the `# `. */
  readonly comments: readonly string[];
  readonly name: string;
  readonly version: string;
  readonly about: string;
  readonly principles: readonly ImportedPrinciple[];
  /** `defaults { }` entries, in order. */
  readonly defaults?: readonly (readonly [string, string | number | boolean])[];
  readonly fewShots?: readonly ImportedFewShotSet[];
  /** `template NAME "..."` blocks, in order. */
  readonly templates?: readonly (readonly [string, string])[];
}

function writeExample(example: ImportedExample): string[] {
  const inner = INDENT.repeat(2);
  const fields = [
    statement("prompt", example.prompt, inner),
    statement("response", example.response, inner),
  ];
  if (example.critique !== undefined) fields.push(statement("critique", example.critique, inner));
  if (example.revision !== undefined) fields.push(statement("revision", example.revision, inner));
  return block("example", fields, INDENT);
}

function writePrinciple(principle: ImportedPrinciple): string {
  const body: string[] = [];
  if (principle.critique !== undefined)
    body.push(statement("critique", principle.critique, INDENT));
  if (principle.revise !== undefined) body.push(statement("revise", principle.revise, INDENT));
  for (const question of principle.compare ?? []) body.push(statement("compare", question, INDENT));
  for (const example of principle.examples ?? []) body.push("", ...writeExample(example));
  return block(`principle ${principle.id}`, body).join("\n");
}

function writeFewShot(set: ImportedFewShotSet): string {
  const inner = INDENT.repeat(2);
  const body = [`${INDENT}on ${set.stages.join(", ")}`];
  for (const example of set.examples) {
    const fields = example.map(([keyword, value]) => statement(keyword, value, inner));
    body.push("", ...block("example", fields, INDENT));
  }
  const comment = set.comment === undefined ? [] : [`# ${set.comment}`];
  return [...comment, ...block(`few-shot ${set.id}`, body)].join("\n");
}

function writeDefault(value: string | number | boolean): string {
  return typeof value === "string" ? renderText(value, INDENT) : String(value);
}

/**
 * The whole file: comments, header, about, defaults, then one principle per block, the few-shot
 * sets and the templates, blank lines between.
 */
export function writeCharter(constitution: ImportedConstitution): string {
  const header = [
    ...constitution.comments.map((line) => (line === "" ? "#" : `# ${line}`)),
    ...(constitution.comments.length > 0 ? [""] : []),
    `charter ${renderText(constitution.name, "")} version ${renderText(constitution.version, "")}`,
  ].join("\n");
  const defaults = constitution.defaults ?? [];
  const parts = [
    header,
    statement("about", constitution.about, ""),
    ...(defaults.length > 0
      ? [
          block(
            "defaults",
            defaults.map(([key, value]) => `${INDENT}${key} ${writeDefault(value)}`),
          ).join("\n"),
        ]
      : []),
    ...constitution.principles.map(writePrinciple),
    ...(constitution.fewShots ?? []).map(writeFewShot),
    ...(constitution.templates ?? []).map(([name, text]) =>
      statement(`template ${name}`, text, ""),
    ),
  ];
  return `${parts.join("\n\n")}\n`;
}

/** A constitution name from an input file name: `data/constitution.json` → `constitution`. */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.[^.]*$/, "");
  return stem === "" ? "imported" : stem;
}
