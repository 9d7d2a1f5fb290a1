// Reading values out of a YAML/JSON constitution's tree: ranges from the one position-aware reader,
// mappings with their known keys (unknown ones reported with a suggestion), texts, names, numbers,
// lists and expressions (parsed by the .charter expression grammar where the string stands).

import type { Node, Pair } from "yaml";
import { isMap, isScalar, isSeq } from "./yaml-package.js";
import { didYouMean } from "../../did-you-mean.js";
import type { NameNode, NumberNode, SourceRange, TextNode } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { parseExpression } from "../syntax/parse-charter.js";
import { joinExpected } from "../syntax/vocabulary.js";
import { DOCUMENT_KEYS, isWritableName, type Place } from "./document-keys.js";
import { ScalarPositions } from "./scalar-positions.js";
import type { SourceLines } from "./source-text.js";

/** Reads values from one document's tree, collecting diagnostics. */
export class DocumentValues {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    protected readonly file: string,
    protected readonly text: string,
    protected readonly lines: SourceLines,
  ) {}

  protected position(offset: number): SourceRange["start"] {
    return this.lines.position(offset);
  }

  protected rangeAt(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }

  protected range(node: Node | Pair): SourceRange {
    if ("key" in node && !("range" in node)) {
      const key = node.key as Node | null;
      const value = node.value as Node | null;
      const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
      const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
      return this.rangeAt(start, end);
    }
    const range = (node as Node).range;
    return range ? this.rangeAt(range[0], range[1]) : this.rangeAt(0, 0);
  }

  protected report(range: SourceRange, message: string): void {
    this.diagnostics.push(diagnostic("invalid-document", message, { file: this.file, ...range }));
  }

  /** Key/value pairs of a mapping, reporting unknown keys with a suggestion. */
  protected pairs(
    items: readonly Pair[],
    place: Place,
  ): { key: string; keyNode: Node; value: Node | null; pair: Pair }[] {
    const result: { key: string; keyNode: Node; value: Node | null; pair: Pair }[] = [];
    const allowed: readonly string[] = DOCUMENT_KEYS[place];
    for (const pair of items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode)) {
        if (keyNode) this.report(this.range(keyNode), "keys must be plain names");
        continue;
      }
      const key = String(keyNode.value);
      if (!allowed.includes(key)) {
        const suggestion = didYouMean(key, allowed);
        this.diagnostics.push(
          diagnostic(
            "unknown-keyword",
            `unknown key \`${key}\` in ${place === "document" ? "a constitution" : `a ${place}`}`,
            { file: this.file, ...this.range(keyNode) },
            suggestion === undefined
              ? { expected: joinExpected(allowed.map((name) => `\`${name}\``)) }
              : { expected: joinExpected(allowed.map((name) => `\`${name}\``)), suggestion },
          ),
        );
        continue;
      }
      result.push({ key, keyNode, value: pair.value as Node | null, pair });
    }
    return result;
  }

  protected textOf(node: Node | null, what: string, fallback: SourceRange): TextNode | undefined {
    if (isScalar(node) && typeof node.value === "string") {
      const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
      return { value: node.value, block, range: this.range(node) };
    }
    this.report(
      node ? this.range(node) : fallback,
      `${what} must be a string${isScalar(node) && typeof node.value === "number" ? " (quote it)" : ""}`,
    );
    return undefined;
  }

  protected name(node: Node | null, what: string, fallback: SourceRange): NameNode | undefined {
    // The same names a .charter file can spell, so `charter convert` can always write them back.
    if (isScalar(node) && typeof node.value === "string" && isWritableName(node.value)) {
      return { name: node.value, range: this.range(node) };
    }
    const shown = isScalar(node) ? ` (found \`${String(node.value)}\`)` : "";
    this.report(
      node ? this.range(node) : fallback,
      `${what} must be a name: letters, digits, \`_\`, \`-\`, dotted parts${shown}`,
    );
    return undefined;
  }

  protected number(node: Node | null, what: string, fallback: SourceRange): NumberNode | undefined {
    if (isScalar(node) && typeof node.value === "number")
      return { value: node.value, range: this.range(node) };
    this.report(node ? this.range(node) : fallback, `${what} must be a number`);
    return undefined;
  }

  /** A list, or a single item taken as a list of one. */
  protected list(node: Node | null): Node[] {
    if (isSeq(node)) return node.items as Node[];
    return node === null ? [] : [node];
  }

  protected mapping(node: Node | null, what: string, fallback: SourceRange): Pair[] | undefined {
    if (isMap(node)) return node.items as Pair[];
    this.report(node ? this.range(node) : fallback, `${what} must be a mapping`);
    return undefined;
  }

  protected expression(node: Node | null, fallback: SourceRange) {
    if (!isScalar(node) || typeof node.value !== "string") {
      this.report(
        node ? this.range(node) : fallback,
        "an expression must be a string like `words(response) > 3`",
      );
      return undefined;
    }
    const positions = ScalarPositions.of(this.text, node, this.lines);
    if (positions !== undefined) {
      // A folded, block or escaped string: parsed from its value, its ranges moved back to the file.
      const parsed = parseExpression(node.value, this.file, { line: 1, column: 1, offset: 0 });
      this.diagnostics.push(...positions.remap(parsed.diagnostics));
      return parsed.expr === undefined ? undefined : positions.remap(parsed.expr);
    }
    const start = node.range?.[0] ?? 0;
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
    const { expr, diagnostics } = parseExpression(
      node.value,
      this.file,
      this.position(start + quoted),
    );
    this.diagnostics.push(...diagnostics);
    return expr;
  }
}
