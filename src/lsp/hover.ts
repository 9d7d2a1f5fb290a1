// Hover: a principle's texts, weight, tags and where it comes from (own, imported, overridden);
// a rule's or rubric's checks; a template's purpose and a `{{variable}}`'s meaning (from the
// template catalog); a function's signature; a `defaults` key's type; what an import brings.

import { dirname, relative } from "node:path";
import type { Hover } from "vscode-languageserver/node";
import {
  DEFAULT_CHOICES,
  DEFAULT_KEYS,
  EXPR_FUNCTIONS,
  TEMPLATE_CATALOG,
  TEMPLATE_VARIABLES,
  type CompiledPrinciple,
  type ExprFunction,
  takenByImport,
  type SourceRange,
} from "../dsl/index.js";
import type { FileModel, ImportEdge, Project } from "./project.js";
import { symbolAt, type Definition } from "./symbols.js";
import { builtinAt } from "./syntax-walk.js";

const within = (range: SourceRange, offset: number): boolean =>
  range.start.offset <= offset && offset <= range.end.offset;

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** Where a file is, as seen from the file being hovered. */
function place(model: FileModel, file: string, range: SourceRange): string {
  const path = file === model.path ? "this file" : relative(dirname(model.path), file);
  return `${code(path)} line ${range.start.line}`;
}

export function hoverAt(project: Project, model: FileModel, offset: number): Hover | undefined {
  const markdown = (value: string, range: SourceRange): Hover => ({
    contents: { kind: "markdown", value },
    range: model.lines.range(range),
  });
  const symbol = symbolAt(project, model, offset);
  if (symbol?.kind === "import") {
    return markdown(describeImport(project, model, symbol.edge), symbol.edge.decl.path.range);
  }
  if (symbol !== undefined) {
    const definition = symbol.definition;
    const range = symbol.kind === "definition" ? definition?.range : symbol.reference.range;
    if (definition !== undefined && range !== undefined) {
      const seenAs = symbol.kind === "reference" && symbol.reference.via !== "only";
      const text = describeDefinition(
        project,
        model,
        definition,
        seenAs ? symbol.reference.name : undefined,
      );
      const dropped = symbol.kind === "reference" && symbol.reference.via === "drop";
      return markdown(dropped ? `${text}\n\n*dropped here*` : text, range);
    }
  }
  const builtin = builtinAt(model.ast, model.text, offset);
  if (builtin !== undefined) {
    const range = {
      start: model.lines.positionAt(builtin.start),
      end: model.lines.positionAt(builtin.end),
    };
    if (builtin.kind === "variable") {
      const meaning = TEMPLATE_VARIABLES[builtin.name] ?? "not a template variable";
      const template = templateAt(model, builtin.start);
      const provided =
        template === undefined ||
        TEMPLATE_CATALOG[template]?.variables.includes(builtin.name) === true;
      const note = provided ? "" : `\n\n${code(template)} does not provide it`;
      return {
        contents: { kind: "markdown", value: `${code(`{{${builtin.name}}}`)}: ${meaning}${note}` },
        range,
      };
    }
    const meaning = EXPR_FUNCTIONS[builtin.name as ExprFunction];
    if (meaning !== undefined) {
      return {
        contents: {
          kind: "markdown",
          value: `${code(`${builtin.name}(text: string): number`)}\n\n${meaning}`,
        },
        range,
      };
    }
  }
  for (const decl of model.ast.declarations) {
    if (decl.kind !== "defaults") continue;
    for (const entry of decl.entries) {
      if (!within(entry.key.range, offset)) continue;
      const type = DEFAULT_KEYS[entry.key.name];
      if (type === undefined) return undefined;
      const choices = DEFAULT_CHOICES[entry.key.name];
      const values =
        choices === undefined ? type : choices.map((choice) => code(choice)).join(" | ");
      return markdown(`**default** ${code(entry.key.name)}: ${values}`, entry.key.range);
    }
  }
  return undefined;
}

/** A definition as its file exports it, as seen from the hovered file under `name`. */
function describeDefinition(
  project: Project,
  model: FileModel,
  definition: Definition,
  name: string | undefined,
): string {
  const header = `**${definition.kind}** ${code(name ?? definition.id)}`;
  const origin =
    definition.file === model.path
      ? "defined here"
      : `imported from ${place(model, definition.file, definition.range)}`;
  switch (definition.kind) {
    case "principle": {
      const seen = project.exports(model.path)?.principles.get(name ?? definition.id);
      const located = seen ?? project.exports(definition.file)?.principles.get(definition.id);
      if (located === undefined) return `${header}\n\n${origin}`;
      const overridden =
        located.file !== definition.file
          ? `, overridden at ${place(model, located.file, located.range)}`
          : "";
      return `${header}${principleLine(located.value)}\n\n${origin}${overridden}\n\n${principleTexts(located.value)}`;
    }
    case "rule": {
      const rule = project.exports(definition.file)?.rules.get(definition.id)?.value;
      const checks = rule?.checks.map((check) => `- ${check.kind} ${code(check.source)}`) ?? [];
      return `${header} on ${code(rule?.stage ?? "?")}\n\n${origin}\n\n${checks.join("\n")}`;
    }
    case "rubric": {
      const rubric = project.exports(definition.file)?.rubrics.get(definition.id)?.value;
      const criteria =
        rubric?.criteria.map((item) => `- ${item.level} (${item.weight}): ${item.text}`) ?? [];
      const when = rubric?.whenSource === undefined ? "" : `\n\nwhen ${code(rubric.whenSource)}`;
      return `${header}\n\n${origin}${when}\n\n${criteria.join("\n")}`;
    }
    case "few-shot": {
      const set = project.exports(definition.file)?.fewShots.get(definition.id)?.value;
      const stages = set?.stages.join(", ") ?? "?";
      return `${header} on ${stages}, ${set?.examples.length ?? 0} example(s)\n\n${origin}`;
    }
    case "template": {
      const spec = TEMPLATE_CATALOG[definition.id];
      if (spec === undefined) return `${header}\n\nnot a template Charter knows`;
      const variables = spec.variables.map((item) => code(`{{${item}}}`)).join(", ");
      return `${header}: ${spec.description}\n\n${origin}\n\nvariables: ${variables}`;
    }
  }
}

/** Names listed per kind in an import's hover before "and N more". */
const LISTED = 12;

/** What an import brings into the hovered file: each kind's names as this file sees them. */
function describeImport(project: Project, model: FileModel, edge: ImportEdge): string {
  const header = `**import** ${code(relative(dirname(model.path), edge.target))}`;
  const all = project.model(edge.target) === undefined ? undefined : project.exports(edge.target);
  if (all === undefined)
    return `${header}

no such file`;
  const taken = takenByImport(all, edge.decl);
  const prefix = edge.decl.as === undefined ? "" : `${edge.decl.as.name}.`;
  const kinds: [string, Map<string, unknown>, Map<string, unknown>][] = [
    ["principles", taken.principles, all.principles],
    ["rules", taken.rules, all.rules],
    ["rubrics", taken.rubrics, all.rubrics],
    ["templates", taken.templates, all.templates],
    ["few-shot sets", taken.fewShots, all.fewShots],
  ];
  const lines: string[] = [];
  for (const [kind, names, defined] of kinds) {
    if (defined.size === 0) continue;
    const shown = [...names.keys()].slice(0, LISTED).map((id) => code(`${prefix}${id}`));
    const more = names.size > LISTED ? ` and ${names.size - LISTED} more` : "";
    const of = names.size === defined.size ? "" : ` (of ${defined.size})`;
    lines.push(`- ${kind}${of}: ${shown.length === 0 ? "none" : shown.join(", ")}${more}`);
  }
  const defaults = Object.keys(taken.defaults);
  if (defaults.length > 0) lines.push(`- defaults: ${defaults.map(code).join(", ")}`);
  return `${header}

${lines.length === 0 ? "defines nothing" : lines.join("\n")}`;
}

function principleLine(principle: CompiledPrinciple): string {
  const tags = principle.tags.length === 0 ? "" : ` · tags ${principle.tags.join(", ")}`;
  return ` · weight ${principle.weight}${tags}`;
}

function principleTexts(principle: CompiledPrinciple): string {
  const lines: string[] = [];
  if (principle.critique !== undefined) lines.push(`- critique: ${principle.critique}`);
  if (principle.revise !== undefined) lines.push(`- revise: ${principle.revise}`);
  for (const question of principle.compare) lines.push(`- compare: ${question}`);
  if (principle.whenSource !== undefined) lines.push(`- when ${code(principle.whenSource)}`);
  if (principle.examples.length > 0) lines.push(`- ${principle.examples.length} example(s)`);
  return lines.join("\n");
}

/** The name of the template whose text holds `offset`. */
function templateAt(model: FileModel, offset: number): string | undefined {
  for (const decl of model.ast.declarations) {
    if (decl.kind === "template" && within(decl.text.range, offset)) return decl.name.name;
  }
  return undefined;
}
