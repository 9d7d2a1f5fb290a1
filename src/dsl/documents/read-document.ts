// State `parsed` for YAML and JSON constitutions: the document becomes the same AST a .charter file
// gives (so it compiles to the same form and hash), with line:col ranges from the `yaml` CST.
// Expressions are strings parsed by the .charter expression grammar. Shape: src/dsl/README.md.

import type { Node, Pair } from "yaml";
import { isMap, isScalar } from "./yaml-package.js";
import type { Declaration, DefaultEntry, SourceFormat } from "../ast.js";
import type { ParsedFile } from "../syntax/parse-charter.js";
import { DeclarationReader } from "./read-declarations.js";
import { readTree, SourceLines, strictJson } from "./source-text.js";

export { DOCUMENT_KEYS } from "./document-keys.js";

class DocumentReader extends DeclarationReader {
  read(format: Exclude<SourceFormat, "charter">): ParsedFile {
    const document = readTree(this.text, { uniqueKeys: true });
    for (const error of document.errors) {
      this.report(
        this.rangeAt(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
        `${format === "json" ? "JSON" : "YAML"}: ${error.message.split("\n")[0] ?? ""}`,
      );
    }
    // YAML reads JSON with comments and unquoted keys too; a `.json` file is held to JSON.
    const json =
      format === "json" && document.errors.length === 0 ? strictJson(this.text) : undefined;
    if (json?.ok === false) this.report(this.rangeAt(json.offset, json.offset + 1), json.message);
    const broken = document.errors.length > 0 || json?.ok === false;
    const declarations: Declaration[] = [];
    const root = document.contents;
    if (!broken) {
      if (isMap(root)) this.documentBody(root.items as Pair[], declarations);
      else
        this.report(
          root ? this.range(root) : this.rangeAt(0, 0),
          "a constitution is a mapping with `charter`, `version`, `principles`, ...",
        );
    }
    return {
      ast: {
        file: this.file,
        format,
        declarations,
        comments: [],
        hasSyntaxErrors: broken,
      },
      diagnostics: this.diagnostics,
    };
  }

  private documentBody(items: Pair[], declarations: Declaration[]): void {
    const fields = this.pairs(items, "document");
    const get = (key: string) => fields.find((field) => field.key === key);
    const charter = get("charter");
    const version = get("version");
    if (charter !== undefined && version !== undefined) {
      const name = this.textOf(charter.value, "`charter` (the name)", this.range(charter.pair));
      const versionText = this.textOf(version.value, "`version`", this.range(version.pair));
      if (name && versionText) {
        declarations.push({
          kind: "header",
          name,
          version: versionText,
          range: this.range(charter.pair),
        });
      }
    } else if (charter !== undefined || version !== undefined) {
      const present = (charter ?? version) as { pair: Pair };
      this.report(
        this.range(present.pair),
        "a constitution needs both `charter` (its name) and `version`",
      );
    }
    for (const field of fields) {
      const where = this.range(field.pair);
      switch (field.key) {
        case "about": {
          const text = this.textOf(field.value, "`about`", where);
          if (text) declarations.push({ kind: "about", text, range: where });
          break;
        }
        case "imports":
          for (const item of this.list(field.value)) this.importDecl(item, declarations);
          break;
        case "defaults": {
          const pairs = this.mapping(field.value, "`defaults`", where);
          if (pairs)
            declarations.push({ kind: "defaults", entries: this.defaults(pairs), range: where });
          break;
        }
        case "principles":
        case "overrides":
          for (const item of this.list(field.value)) {
            const principle = this.principle(item, field.key === "overrides");
            if (principle) declarations.push(principle);
          }
          break;
        case "drop":
          for (const item of this.list(field.value)) {
            const id = this.name(item, "a dropped principle id", where);
            if (id) declarations.push({ kind: "drop", id, range: id.range });
          }
          break;
        case "rules":
          for (const item of this.list(field.value)) this.rule(item, declarations);
          break;
        case "rubrics":
          for (const item of this.list(field.value)) this.rubric(item, declarations);
          break;
        case "few-shots":
          for (const item of this.list(field.value)) this.fewShot(item, declarations);
          break;
        case "templates": {
          const pairs = this.mapping(field.value, "`templates`", where);
          for (const pair of pairs ?? []) {
            const name = this.name(pair.key as Node | null, "a template name", where);
            const text = this.textOf(pair.value as Node | null, "a template", this.range(pair));
            if (name && text)
              declarations.push({ kind: "template", name, text, range: this.range(pair) });
          }
          break;
        }
      }
    }
  }

  protected importDecl(item: Node, declarations: Declaration[]): void {
    const where = this.range(item);
    if (isScalar(item)) {
      const path = this.textOf(item, "an import path", where);
      if (path) declarations.push({ kind: "import", path, range: where });
      return;
    }
    const pairs = this.mapping(item, "an import", where);
    if (!pairs) return;
    const fields = this.pairs(pairs, "import");
    const pathField = fields.find((field) => field.key === "path");
    const path = pathField && this.textOf(pathField.value, "`path`", where);
    if (!path) {
      if (!pathField) this.report(where, "an import needs `path`");
      return;
    }
    const onlyField = fields.find((field) => field.key === "only");
    const asField = fields.find((field) => field.key === "as");
    const only =
      onlyField &&
      this.list(onlyField.value).flatMap((node) => this.name(node, "an `only` name", where) ?? []);
    const as = asField && this.name(asField.value, "`as`", where);
    declarations.push({
      kind: "import",
      path,
      range: where,
      ...(only ? { only } : {}),
      ...(as ? { as } : {}),
    });
  }

  protected defaults(pairs: Pair[]): DefaultEntry[] {
    const entries: DefaultEntry[] = [];
    for (const pair of pairs) {
      const key = this.name(pair.key as Node | null, "a default's name", this.range(pair));
      const value = pair.value as Node | null;
      if (!key) continue;
      if (isScalar(value) && ["string", "number", "boolean"].includes(typeof value.value)) {
        const scalar = value.value as string | number | boolean;
        const written = typeof scalar as "string" | "number" | "boolean";
        entries.push({
          key,
          value: { value: scalar, written, range: this.range(value) },
          range: this.range(pair),
        });
      } else {
        this.report(
          value ? this.range(value) : this.range(pair),
          "a default must be a string, number or boolean",
        );
      }
    }
    return entries;
  }
}

/** The `parsed` state of a YAML or JSON constitution. Never throws on bad input. */
export function readDocument(
  text: string,
  file: string,
  format: Exclude<SourceFormat, "charter">,
): ParsedFile {
  return new DocumentReader(file, text, new SourceLines(text)).read(format);
}
