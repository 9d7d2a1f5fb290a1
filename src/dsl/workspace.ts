// The compiler workspace: source documents, each advanced through explicit states (parsed ->
// linked -> checked -> compiled) and kept, so the formatter, the CLI and the language server
// reuse one parse, and a change to one document recompiles only what depends on it.

import { resolve } from "node:path";
import type { FileAst, SourceFormat } from "./ast.js";
import { checkFile } from "./compile/check.js";
import { checkLinked } from "./compile/check-linked.js";
import { compileUnit, type CompiledUnit } from "./compile/compile-unit.js";
import { assembleConstitution } from "./compile/assemble.js";
import { formatParsed, type FormatResult } from "./print/format.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { Linker, type Exports } from "./compile/link.js";
import type { CharterSyntax, ParsedFile } from "./syntax/parse-charter.js";
import { parseDocument } from "./documents/parse-document.js";
import { findRoot, formatOf, WorkspaceHost, type CompileResult } from "./workspace-host.js";

/**
 * Where a document stands, in the order the stages run. Each state holds what its stage made:
 *
 * - `parsed`: lexed, parsed (CST) and built into an AST, with its syntax diagnostics. A .charter
 *   file with nothing to report is read by the clean parser straight into the AST, its tokens and
 *   CST built by chevrotain when first asked for (syntax/parse-charter.ts). YAML and JSON
 *   documents are read straight into the same AST (no tokens or CST).
 * - `linked`: its declarations lowered to the pieces it exports (`unit`: principles, rules, ...
 *   each with its range, whatever diagnostics the file has) and its imports resolved to the
 *   documents they name (`imports`, which is what `dependents` follows).
 * - `checked`: its own checks ran (types, duplicates, templates; an entry must have a header).
 * - `compiled`: an entry document whose merged constitution was checked across files and
 *   assembled with its content hash (`compile`). A document only ever imported stops at `checked`.
 *
 * `update` sends a document back to nothing and every compilation that read it is dropped.
 */
export const DOCUMENT_STATES = ["parsed", "linked", "checked", "compiled"] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** One source document and what the stages made of it so far. */
export interface WorkspaceDocument {
  /** The document's path, as diagnostics and locations show it; imports resolve from it. */
  readonly uri: string;
  readonly text: string;
  readonly format: SourceFormat;
  readonly state: DocumentState;
  /**
   * Tokens, comments and CST (`.charter` documents only). A document the clean path parsed gets
   * them from chevrotain on first read (compiling never reads them; the formatter and editors do).
   */
  readonly syntax?: CharterSyntax;
  readonly ast: FileAst;
  /** Syntax diagnostics, then the document's own checks once `checked`. */
  readonly diagnostics: readonly Diagnostic[];
  /** The pieces this document defines itself, before imports merge in (from `linked` on). */
  readonly unit?: CompiledUnit;
  /** Paths its imports resolved to, found or not (from `linked` on). */
  readonly imports: readonly string[];
}

/** The mutable record behind a WorkspaceDocument. */
interface DocumentRecord {
  readonly uri: string;
  readonly text: string;
  readonly format: SourceFormat;
  /** Given by `open`/`update` (an editor's text) rather than read through the host. */
  readonly open: boolean;
  state: DocumentState;
  /** What `parsed` made; its `syntax` is built on first read for a clean .charter document. */
  readonly parsed: ParsedFile;
  readonly ast: FileAst;
  readonly parseDiagnostics: readonly Diagnostic[];
  unit: CompiledUnit | undefined;
  imports: readonly string[];
  /** The document's own checks, by role: an entry must have a header, a library need not. */
  readonly checks: Map<boolean, readonly Diagnostic[]>;
  lastRole: boolean | undefined;
}

/** A finished compilation of one entry document, kept until a document it read changes. */
interface Compilation {
  readonly result: CompileResult;
  /** What the entry exports: its pieces and its imports', merged (overrides, drops applied). */
  readonly exports: Exports;
  /** Every path it read or looked for (found or not), the entry included. */
  readonly read: ReadonlySet<string>;
}

export interface WorkspaceOptions {
  /**
   * Reads a document the workspace does not hold; undefined when it does not exist. Defaults to
   * the disk, relative to `cwd`. Documents given to `open`/`update` are read from the workspace.
   */
  readonly host?: WorkspaceHost;
  /** Imports may not leave this directory; defaults to the entry's project root (see findRoot). */
  readonly root?: string;
  /** Base of relative paths. Defaults to process.cwd(). */
  readonly cwd?: string;
}

/**
 * Source documents and their compilations. Documents are advanced lazily: `document(uri)` parses
 * and checks, `compile(uri)` links and compiles an entry; results are kept until a document they
 * read is updated or closed.
 *
 * @example
 * const workspace = new CompilerWorkspace();
 * workspace.update("harmless.charter", text);
 * const { constitution, diagnostics } = workspace.compile("harmless.charter");
 */
export class CompilerWorkspace {
  private readonly documents = new Map<string, DocumentRecord>();
  private readonly compilations = new Map<string, Compilation>();
  private readonly host: WorkspaceHost;
  private readonly cwd: string;

  constructor(private readonly options: WorkspaceOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
    this.host = options.host ?? WorkspaceHost.disk(this.cwd);
  }

  /** Gives the workspace a document's text (an editor's unsaved buffer); same as `update`. */
  open(uri: string, text: string, format?: SourceFormat): void {
    this.update(uri, text, format);
  }

  /**
   * Replaces a document's text. Its stages rerun on next use, and so does every compilation that
   * read it; documents that do not depend on it keep their parse, checks and compilations.
   */
  update(uri: string, text: string, format: SourceFormat = formatOf(uri)): void {
    const known = this.documents.get(uri);
    if (known?.open === true && known.text === text && known.format === format) return;
    this.invalidate(uri);
    this.documents.set(uri, parsedRecord(uri, text, format, true));
  }

  /** Forgets a document's text: from now on it is read through the host again. */
  close(uri: string): void {
    this.invalidate(uri);
  }

  /** Reads a document through the host, unless the workspace holds it; undefined when missing. */
  read(uri: string): string | undefined {
    return this.documents.get(uri)?.text ?? this.host.readFile(uri);
  }

  /**
   * The directory the imports of `uri` may not leave when it is compiled as the entry: the
   * workspace's `root`, else the nearest project root above it (see findRoot). Absolute.
   */
  rootOf(uri: string): string {
    return resolve(this.cwd, this.options.root ?? findRoot(uri, this.host, this.cwd));
  }

  /** Whether the workspace holds the document (given, or read for a compilation). */
  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  /** Paths of the documents the workspace holds. */
  uris(): string[] {
    return [...this.documents.keys()];
  }

  /**
   * A document, parsed and checked in the role it was last compiled in (an entry when never):
   * tokens, CST, AST and its own diagnostics. Undefined when it cannot be read.
   */
  document(uri: string): WorkspaceDocument | undefined {
    const record = this.record(uri);
    if (record === undefined) return undefined;
    const checks = this.check(record, record.lastRole ?? true);
    const document: WorkspaceDocument = {
      uri: record.uri,
      text: record.text,
      format: record.format,
      state: record.state,
      ast: record.ast,
      diagnostics: [...record.parseDiagnostics, ...checks],
      ...(record.unit !== undefined ? { unit: record.unit } : {}),
      imports: record.imports,
    };
    if (record.format !== "charter") return document;
    const { parsed } = record;
    // A getter, so a reader that never looks at tokens or the CST does not have them built.
    return Object.defineProperty(document, "syntax", {
      get: () => parsed.syntax,
      enumerable: true,
    });
  }

  /**
   * Compiles `uri` as the entry: links its imports, checks every document involved and assembles
   * the constitution. Diagnostics of every document involved, sorted by file and position.
   */
  compile(uri: string): CompileResult {
    return this.compilation(uri)?.result ?? missingEntry(uri);
  }

  /**
   * What `uri` exports compiled as an entry: its own pieces and its imports', merged, each with
   * the file and range it was written at (for an editor's hover and completion). Kept with the
   * compilation; undefined when the document cannot be read.
   */
  exports(uri: string): Exports | undefined {
    return this.compilation(uri)?.exports;
  }

  private compilation(uri: string): Compilation | undefined {
    const kept = this.compilations.get(uri);
    if (kept !== undefined) return kept;
    const entry = this.record(uri);
    if (entry === undefined) return undefined;
    const compilation = this.link(entry);
    this.compilations.set(uri, compilation);
    return compilation;
  }

  /**
   * `charter fmt` of a .charter document, from the workspace's parse. Undefined when the document
   * cannot be read or is YAML/JSON.
   */
  format(uri: string): FormatResult | undefined {
    const record = this.record(uri);
    if (record === undefined || record.format !== "charter") return undefined;
    return formatParsed(record.parsed, record.text);
  }

  /** Documents that import `uri`, directly or through others (as last linked). */
  dependents(uri: string): string[] {
    const found = new Set<string>();
    const pending = [uri];
    for (let target = pending.pop(); target !== undefined; target = pending.pop()) {
      for (const record of this.documents.values()) {
        if (record.imports.includes(target) && !found.has(record.uri) && record.uri !== uri) {
          found.add(record.uri);
          pending.push(record.uri);
        }
      }
    }
    return [...found];
  }

  /** The record for `uri`, parsed: the given text, else read through the host. */
  private record(uri: string): DocumentRecord | undefined {
    const known = this.documents.get(uri);
    if (known !== undefined) return known;
    const text = this.host.readFile(uri);
    if (text === undefined) return undefined;
    const record = parsedRecord(uri, text, formatOf(uri), false);
    this.documents.set(uri, record);
    return record;
  }

  /** The document's own checks in a role; `checked` from then on. */
  private check(record: DocumentRecord, entry: boolean): readonly Diagnostic[] {
    let checks = record.checks.get(entry);
    if (checks === undefined) {
      checks = checkFile(record.ast, record.text, entry);
      record.checks.set(entry, checks);
    }
    if (record.state === "parsed" || record.state === "linked") record.state = "checked";
    return checks;
  }

  /** The document's own pieces (lowered once per text); `linked` once its imports resolve. */
  private unitOf(record: DocumentRecord): CompiledUnit {
    record.unit ??= compileUnit(record.ast);
    return record.unit;
  }

  /**
   * Links, checks and assembles one entry. Diagnostics are gathered per document in the order
   * documents were reached (parse, then own checks), then the linker's, then the cross-file
   * checks, and sorted, so the result does not depend on what was kept from earlier work.
   */
  private link(entry: DocumentRecord): Compilation {
    const root = this.rootOf(entry.uri);
    const reached: DocumentRecord[] = [entry];
    const read = new Set<string>([entry.uri]);
    const imports = new Map<string, string[]>();
    let quiet = entry.ast.hasSyntaxErrors;
    const linker = new Linker(
      (file) => {
        read.add(file);
        const record = this.record(file);
        if (record === undefined) return undefined;
        if (!reached.includes(record)) {
          reached.push(record);
          if (record.ast.hasSyntaxErrors) quiet = true;
        }
        return this.unitOf(record);
      },
      root,
      this.cwd,
      () => quiet,
      (from, to) => {
        read.add(to);
        const list = imports.get(from) ?? [];
        if (!list.includes(to)) list.push(to);
        imports.set(from, list);
      },
    );
    const exports = linker.exportsOf(this.unitOf(entry));
    const diagnostics: Diagnostic[] = [];
    for (const record of reached) {
      record.imports = imports.get(record.uri) ?? [];
      if (record.state === "parsed") record.state = "linked";
      record.lastRole = record === entry;
      diagnostics.push(...record.parseDiagnostics, ...this.check(record, record === entry));
    }
    diagnostics.push(...linker.diagnostics);
    if (!hasErrors(diagnostics)) diagnostics.push(...checkLinked(exports));
    const sorted = sortDiagnostics(diagnostics);
    const unit = this.unitOf(entry);
    if (hasErrors(sorted) || unit.header === undefined)
      return { result: { diagnostics: sorted }, exports, read };
    entry.state = "compiled";
    const constitution = assembleConstitution(entry.uri, unit, unit.header, exports);
    return { result: { constitution, diagnostics: sorted }, exports, read };
  }

  /** Drops a document and every compilation that read it. */
  private invalidate(uri: string): void {
    this.documents.delete(uri);
    for (const [entry, compilation] of this.compilations) {
      if (compilation.read.has(uri)) this.compilations.delete(entry);
    }
    // Documents a dropped compilation had linked or compiled go back to checked: their imports
    // are still recorded for `dependents` until they are linked again.
    for (const record of this.documents.values()) {
      if (record.state === "compiled" && !this.compilations.has(record.uri)) {
        record.state = "checked";
      }
    }
  }
}

/** The result of compiling a document that cannot be read. */
function missingEntry(uri: string): CompileResult {
  const start = { line: 1, column: 1, offset: 0 };
  const missing: Diagnostic = {
    code: "import-not-found",
    severity: "error",
    message: `cannot read \`${uri}\``,
    range: { file: uri, start, end: start },
  };
  return { diagnostics: [missing] };
}

function parsedRecord(
  uri: string,
  text: string,
  format: SourceFormat,
  open: boolean,
): DocumentRecord {
  const parsed = parseDocument(text, uri, format);
  return {
    uri,
    text,
    format,
    open,
    state: "parsed",
    parsed,
    ast: parsed.ast,
    parseDiagnostics: parsed.diagnostics,
    unit: undefined,
    imports: [],
    checks: new Map(),
    lastRole: undefined,
  };
}
