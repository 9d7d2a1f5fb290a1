// Printers used by `charter convert`: a compiled constitution written back as .charter, YAML or
// JSON source. Imports are already merged in the compiled form, so the output is one
// self-contained file that compiles to the same content hash.

import { yamlPackage } from "../documents/yaml-package.js";
import type {
  CompiledConstitution,
  CompiledFewShotExample,
  CompiledFewShotSet,
  CompiledPrinciple,
  DefaultValue,
} from "../../constitution/compiled.js";
import { printExpression } from "./print-expression.js";
import { block, INDENT, renderText, statement } from "./charter-text.js";

// Every text is spelt by renderText, as `charter fmt` spells it (a multi-line name, default or
// criterion as a `"""` block too), so converted files are already in fmt's layout.
function defaultValue(value: DefaultValue): string {
  return typeof value === "string" ? renderText(value, INDENT) : String(value);
}

function principleSource(principle: CompiledPrinciple): string {
  let head = `principle ${principle.id}`;
  if (principle.weight !== 1) head += ` weight ${principle.weight}`;
  if (principle.tags.length > 0) head += ` tags ${principle.tags.join(", ")}`;
  const inner = INDENT.repeat(2);
  const body: string[] = [];
  if (principle.when !== undefined) body.push(`${INDENT}when ${printExpression(principle.when)}`);
  if (principle.critique !== undefined)
    body.push(statement("critique", principle.critique, INDENT));
  if (principle.revise !== undefined) body.push(statement("revise", principle.revise, INDENT));
  for (const question of principle.compare) body.push(statement("compare", question, INDENT));
  for (const example of principle.examples) {
    const fields = [
      statement("prompt", example.prompt, inner),
      statement("response", example.response, inner),
    ];
    if (example.critique !== undefined) fields.push(statement("critique", example.critique, inner));
    if (example.revision !== undefined) fields.push(statement("revision", example.revision, inner));
    body.push(...block("example", fields, INDENT));
  }
  return block(head, body).join("\n");
}

/** A few-shot example's fields in source order, as (keyword, text) pairs. */
export function fewShotFields(example: CompiledFewShotExample): [string, string][] {
  const fields: [string, string][] = example.turns.map((turn) => [turn.role, turn.content]);
  const add = (keyword: string, value: string | undefined): void => {
    if (value !== undefined) fields.push([keyword, value]);
  };
  if (example.kind === "transcript") {
    add("critique-request", example.critiqueRequest);
    add("critique", example.critique);
    add("revision-request", example.revisionRequest);
    add("revision", example.revision);
  } else {
    add("question", example.question);
    add("response-a", example.responseA);
    add("response-b", example.responseB);
    add("answer", example.answer);
  }
  return fields;
}

function fewShotSource(set: CompiledFewShotSet): string {
  const inner = INDENT.repeat(2);
  const body = [`${INDENT}on ${set.stages.join(", ")}`];
  for (const example of set.examples) {
    const fields = fewShotFields(example).map(([keyword, value]) =>
      statement(keyword, value, inner),
    );
    body.push(...block("example", fields, INDENT));
  }
  return block(`few-shot ${set.id}`, body).join("\n");
}

/** The constitution as .charter source. */
export function toCharterSource(constitution: CompiledConstitution): string {
  const blocks: string[] = [
    `charter ${renderText(constitution.name, "")} version ${renderText(constitution.version, "")}`,
  ];
  if (constitution.about !== undefined) blocks.push(statement("about", constitution.about, ""));
  const defaults = Object.entries(constitution.defaults);
  if (defaults.length > 0) {
    const entries = defaults.map(([key, value]) => `${INDENT}${key} ${defaultValue(value)}`);
    blocks.push(block("defaults", entries).join("\n"));
  }
  for (const principle of constitution.principles) blocks.push(principleSource(principle));
  for (const rule of constitution.rules) {
    const checks = rule.checks.map(
      (check) => `${INDENT}${check.kind} ${printExpression(check.expr)}`,
    );
    blocks.push(block(`rule ${rule.id}`, [`${INDENT}on ${rule.stage}`, ...checks]).join("\n"));
  }
  for (const rubric of constitution.rubrics) {
    const when = rubric.when === undefined ? [] : [`${INDENT}when ${printExpression(rubric.when)}`];
    const criteria = rubric.criteria.map((criterion) => {
      const check =
        criterion.check === undefined ? "" : ` check ${printExpression(criterion.check)}`;
      return `${INDENT}${criterion.level} ${renderText(criterion.text, INDENT)}${check} weight ${criterion.weight}`;
    });
    blocks.push(block(`rubric ${rubric.id}`, [...when, ...criteria]).join("\n"));
  }
  for (const set of constitution.fewShots ?? []) blocks.push(fewShotSource(set));
  for (const template of Object.values(constitution.templates)) {
    blocks.push(statement(`template ${template.name}`, template.text, "", "block"));
  }
  return `${blocks.join("\n\n")}\n`;
}

/** The documented YAML/JSON shape of a constitution, as plain data. */
export function toDocument(constitution: CompiledConstitution): Record<string, unknown> {
  const document: Record<string, unknown> = {
    charter: constitution.name,
    version: constitution.version,
  };
  if (constitution.about !== undefined) document["about"] = constitution.about;
  if (Object.keys(constitution.defaults).length > 0)
    document["defaults"] = { ...constitution.defaults };
  if (constitution.principles.length > 0) {
    document["principles"] = constitution.principles.map((principle) => ({
      id: principle.id,
      ...(principle.weight !== 1 ? { weight: principle.weight } : {}),
      ...(principle.tags.length > 0 ? { tags: [...principle.tags] } : {}),
      ...(principle.when !== undefined ? { when: printExpression(principle.when) } : {}),
      ...(principle.critique !== undefined ? { critique: principle.critique } : {}),
      ...(principle.revise !== undefined ? { revise: principle.revise } : {}),
      ...(principle.compare.length === 1
        ? { compare: principle.compare[0] }
        : principle.compare.length > 1
          ? { compare: [...principle.compare] }
          : {}),
      ...(principle.examples.length > 0
        ? {
            examples: principle.examples.map(({ location: _location, ...example }) => example),
          }
        : {}),
    }));
  }
  if (constitution.rules.length > 0) {
    document["rules"] = constitution.rules.map((rule) => ({
      id: rule.id,
      on: rule.stage,
      checks: rule.checks.map((check) => ({ [check.kind]: printExpression(check.expr) })),
    }));
  }
  if (constitution.rubrics.length > 0) {
    document["rubrics"] = constitution.rubrics.map((rubric) => ({
      id: rubric.id,
      ...(rubric.when === undefined ? {} : { when: printExpression(rubric.when) }),
      criteria: rubric.criteria.map((criterion) => ({
        [criterion.level]: criterion.text,
        ...(criterion.check === undefined ? {} : { check: printExpression(criterion.check) }),
        weight: criterion.weight,
      })),
    }));
  }
  const fewShots = constitution.fewShots ?? [];
  if (fewShots.length > 0) {
    document["few-shots"] = fewShots.map((set) => ({
      id: set.id,
      on: [...set.stages],
      examples: set.examples.map((example) => {
        const [turns, rest] = [
          fewShotFields(example).slice(0, example.turns.length),
          fewShotFields(example).slice(example.turns.length),
        ];
        return {
          conversation: turns.map(([role, content]) => ({ [role]: content })),
          ...Object.fromEntries(rest),
        };
      }),
    }));
  }
  const templates = Object.values(constitution.templates);
  if (templates.length > 0) {
    document["templates"] = Object.fromEntries(
      templates.map((template) => [template.name, template.text]),
    );
  }
  return document;
}

/** The constitution as YAML source. */
export function toYaml(constitution: CompiledConstitution): string {
  return yamlPackage().stringify(toDocument(constitution), { lineWidth: 0 });
}

/** The constitution as JSON source (two-space indent). */
export function toJson(constitution: CompiledConstitution): string {
  return `${JSON.stringify(toDocument(constitution), null, 2)}\n`;
}
