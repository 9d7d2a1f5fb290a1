// Checks of what a file sets rather than defines: templates (known names, known `{{variables}}`,
// pointed at where each is written) and `defaults` entries (known keys, types, choices).

import { TEMPLATE_VARIABLE } from "../../constitution/render-template.js";
import {
  DEFAULT_CHOICES,
  DEFAULT_KEYS,
  TEMPLATE_CATALOG,
} from "../../constitution/template-catalog.js";
import { didYouMean } from "../../did-you-mean.js";
import type { Declaration, SourceRange, TemplateDecl } from "../ast.js";
import { CheckContext, positionIn } from "./check-context.js";

export class SettingsChecker extends CheckContext {
  template(template: TemplateDecl): void {
    const spec = Object.hasOwn(TEMPLATE_CATALOG, template.name.name)
      ? TEMPLATE_CATALOG[template.name.name]
      : undefined;
    if (spec === undefined) {
      const names = Object.keys(TEMPLATE_CATALOG);
      this.report(
        "unknown-template",
        `unknown template \`${template.name.name}\`; the templates are ${names.join(", ")}`,
        template.name.range,
        didYouMean(template.name.name, names),
      );
      return;
    }
    this.nonEmpty(template.text, `template \`${template.name.name}\``);
    const raw = this.text.slice(template.text.range.start.offset, template.text.range.end.offset);
    for (const match of template.text.value.matchAll(TEMPLATE_VARIABLE)) {
      const name = match[1] as string;
      if (spec.variables.includes(name)) continue;
      const range = this.variableRange(raw, match[0], template.text.range) ?? template.text.range;
      this.report(
        "unknown-template-variable",
        `template \`${template.name.name}\` has no variable \`${name}\``,
        range,
        didYouMean(name, spec.variables),
      );
    }
  }

  /** Where `{{name}}` is written inside a string token (charter files; YAML gives the whole string). */
  private variableRange(raw: string, written: string, token: SourceRange): SourceRange | undefined {
    if (this.ast.format !== "charter") return undefined;
    const index = raw.indexOf(written);
    if (index < 0) return undefined;
    return {
      start: positionIn(raw, index, token.start),
      end: positionIn(raw, index + written.length, token.start),
    };
  }

  defaultEntry(entry: Extract<Declaration, { kind: "defaults" }>["entries"][number]): void {
    const key = entry.key.name;
    const type = Object.hasOwn(DEFAULT_KEYS, key) ? DEFAULT_KEYS[key] : undefined;
    if (type === undefined) {
      this.report(
        "unknown-default",
        `unknown default \`${key}\``,
        entry.key.range,
        didYouMean(key, Object.keys(DEFAULT_KEYS)),
      );
      return;
    }
    const found = entry.value.written === "name" ? "string" : entry.value.written;
    if (found !== type) {
      this.report(
        "invalid-default",
        `\`${key}\` takes a ${type}, found a ${found}`,
        entry.value.range,
      );
      return;
    }
    const choices = Object.hasOwn(DEFAULT_CHOICES, key) ? DEFAULT_CHOICES[key] : undefined;
    if (choices !== undefined && !choices.includes(String(entry.value.value))) {
      this.report(
        "invalid-default",
        `\`${key}\` is one of ${choices.map((choice) => `\`${choice}\``).join(", ")}; found \`${String(entry.value.value)}\``,
        entry.value.range,
        didYouMean(String(entry.value.value), choices),
      );
    }
  }
}
