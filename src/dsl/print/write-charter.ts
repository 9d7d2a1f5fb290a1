// Writes an imported constitution as canonical .charter source (the layout `charter fmt` keeps).

import { renderText } from "./charter-text.js";

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

const INDENT = "  ";

function field(keyword: string, value: string, indent: string): string {
  return `${indent}${keyword} ${renderText(value, indent)}`;
}

function writeExample(example: ImportedExample): string[] {
  const inner = INDENT.repeat(2);
  const lines = [`${INDENT}example {`];
  lines.push(field("prompt", example.prompt, inner), field("response", example.response, inner));
  if (example.critique !== undefined) lines.push(field("critique", example.critique, inner));
  if (example.revision !== undefined) lines.push(field("revision", example.revision, inner));
  lines.push(`${INDENT}}`);
  return lines;
}

function writePrinciple(principle: ImportedPrinciple): string {
  const lines = [`principle ${principle.id} {`];
  if (principle.critique !== undefined) lines.push(field("critique", principle.critique, INDENT));
  if (principle.revise !== undefined) lines.push(field("revise", principle.revise, INDENT));
  for (const question of principle.compare ?? []) lines.push(field("compare", question, INDENT));
  for (const example of principle.examples ?? []) lines.push("", ...writeExample(example));
  lines.push("}");
  return lines.join("\n");
}

function writeFewShot(set: ImportedFewShotSet): string {
  const lines = set.comment === undefined ? [] : [`# ${set.comment}`];
  lines.push(`few-shot ${set.id} {`, `${INDENT}on ${set.stages.join(", ")}`);
  const inner = INDENT.repeat(2);
  for (const example of set.examples) {
    lines.push("", `${INDENT}example {`);
    for (const [keyword, value] of example) lines.push(field(keyword, value, inner));
    lines.push(`${INDENT}}`);
  }
  lines.push("}");
  return lines.join("\n");
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
    field("about", constitution.about, ""),
    ...(defaults.length > 0
      ? [
          [
            "defaults {",
            ...defaults.map(([key, value]) => `${INDENT}${key} ${writeDefault(value)}`),
            "}",
          ].join("\n"),
        ]
      : []),
    ...constitution.principles.map(writePrinciple),
    ...(constitution.fewShots ?? []).map(writeFewShot),
    ...(constitution.templates ?? []).map(([name, text]) => field(`template ${name}`, text, "")),
  ];
  return `${parts.join("\n\n")}\n`;
}

/** A constitution name from an input file name: `data/constitution.json` → `constitution`. */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.[^.]*$/, "");
  return stem === "" ? "imported" : stem;
}
