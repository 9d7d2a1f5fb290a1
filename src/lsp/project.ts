// The server's view of the constitutions in the editor's workspace, on the compiler workspace
// (src/dsl/workspace.ts): open documents' unsaved text over the disk, the workspace's `.charter`
// and YAML/JSON constitutions, the import graph between them (which files diagnostics are published
// for), and for each file what the editor features read (AST, line map, import edges).

import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import type { TextDocument } from "vscode-languageserver-textdocument";
import {
  CompilerWorkspace,
  formatOf,
  type CharterSyntax,
  type CompileResult,
  type Exports,
  type FileAst,
  type ImportDecl,
  type SourceFormat,
} from "../dsl/index.js";
import { LineMap } from "./positions.js";
import { CANDIDATE, candidateFilesUnder } from "./sources.js";

export interface ImportEdge {
  readonly decl: ImportDecl;
  /** Absolute path the import names (whether or not it exists). */
  readonly target: string;
}

/**
 * Where an import's path is written in `text` (offsets), inside its quotes if it has any (a
 * .charter string, a quoted YAML or JSON scalar), and the quote.
 */
export function importPathSpan(
  text: string,
  edge: ImportEdge,
): { readonly start: number; readonly end: number; readonly quote?: '"' | "'" } {
  const { start, end } = {
    start: edge.decl.path.range.start.offset,
    end: edge.decl.path.range.end.offset,
  };
  const quote = text[start];
  if ((quote === '"' || quote === "'") && text[end - 1] === quote && end - start >= 2) {
    return { start: start + 1, end: end - 1, quote };
  }
  return { start, end };
}

/** One constitution file at one version of its text. */
export interface FileModel {
  readonly path: string;
  readonly text: string;
  readonly format: SourceFormat;
  readonly lines: LineMap;
  readonly ast: FileAst;
  /** Tokens, comments and CST (`.charter` files only). */
  readonly syntax?: CharterSyntax;
  readonly imports: readonly ImportEdge[];
}

/** A YAML/JSON file is only taken for a constitution when it looks like one (or is imported). */
const LOOKS_LIKE_CONSTITUTION = /^\s*\{?\s*"?(charter|principles|rules|rubrics|imports)"?\s*:/m;

/** YAML/JSON files past this size (characters) on disk are not taken for constitutions unasked. */
const MAX_DOCUMENT_SCAN = 4_000_000;

/** What the project knows of a file no editor holds, from its text on disk (until it changes). */
interface DiskEntry {
  readonly constitution: boolean;
  /** The files its imports name (absolute paths, found or not). */
  readonly imports: readonly string[];
}

export class Project {
  readonly workspace: CompilerWorkspace;
  private readonly open = new Map<string, TextDocument>();
  private readonly models = new Map<string, FileModel>();
  private readonly disk = new Map<string, DiskEntry>();
  private folders: readonly string[] = [];
  private workspaceFiles: string[] = [];
  private workspaceFileSet: ReadonlySet<string> = new Set();

  constructor(readonly cwd: string = process.cwd()) {
    this.workspace = new CompilerWorkspace({ cwd });
  }

  setFolders(folders: readonly string[]): void {
    this.folders = folders;
    this.rescan();
  }

  /** The editor added or removed workspace folders. */
  changeFolders(added: readonly string[], removed: readonly string[]): void {
    const kept = this.folders.filter((folder) => !removed.includes(folder));
    this.setFolders([...kept, ...added.filter((folder) => !kept.includes(folder))]);
  }

  /**
   * Whether `path` lies under one of the workspace's folders (the files an edit may touch); with
   * no folder open (a single file), every file counts.
   */
  inFolders(path: string): boolean {
    if (this.folders.length === 0) return true;
    return this.folders.some((folder) => {
      const inside = relative(folder, path);
      return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
    });
  }

  /** `path` as a person reads it: relative to the workspace folder holding it, else as it is. */
  displayPath(path: string): string {
    for (const folder of this.folders) {
      const inside = relative(folder, path);
      if (inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)) return inside;
    }
    return path;
  }

  /** Finds the workspace's candidate files again (after files were created or deleted). */
  rescan(): void {
    this.workspaceFiles = candidateFilesUnder(this.folders);
    const present = new Set(this.workspaceFiles);
    this.workspaceFileSet = present;
    for (const path of this.disk.keys()) if (!present.has(path)) this.disk.delete(path);
  }

  /** The editor opened or changed a document: its text wins over the disk from now on. */
  setOpen(path: string, document: TextDocument): void {
    this.open.set(path, document);
    this.workspace.update(path, document.getText());
  }

  /** The editor closed a document: it is read from disk again. */
  close(path: string): void {
    this.open.delete(path);
    this.disk.delete(path);
    this.workspace.close(path);
  }

  /** A file changed on disk: read it again unless the editor holds it. */
  changedOnDisk(path: string): void {
    this.disk.delete(path);
    if (!this.open.has(path)) this.workspace.close(path);
  }

  /** The editor's document for `path`, when open. */
  document(path: string): TextDocument | undefined {
    return this.open.get(path);
  }

  /** The file at its current text; undefined when it cannot be read. */
  model(path: string): FileModel | undefined {
    const document = this.workspace.document(path);
    if (document === undefined) return undefined;
    const cached = this.models.get(path);
    if (cached !== undefined && cached.text === document.text && cached.ast === document.ast) {
      return cached;
    }
    const model: FileModel = {
      path,
      text: document.text,
      format: document.format,
      lines: new LineMap(document.text),
      ast: document.ast,
      imports: importEdges(path, document.ast),
    };
    // A getter: tokens and CST are built (for a file the clean parser read) only when a feature asks.
    if (document.format === "charter")
      Object.defineProperty(model, "syntax", { get: () => document.syntax, enumerable: true });
    this.models.set(path, model);
    return model;
  }

  /** Open documents that are constitutions (other YAML and JSON is left alone). */
  openConstitutions(): string[] {
    return [...this.open.entries()]
      .filter(([path, document]) => isConstitution(path, document.getText()))
      .map(([path]) => path);
  }

  /**
   * Whether `path` is served as a constitution: a .charter file, a YAML/JSON file that looks like
   * one, or one a diagnosed file imports (editors send the server every YAML and JSON file).
   */
  isServed(path: string): boolean {
    const text = this.open.get(path)?.getText() ?? this.workspace.read(path);
    if (text !== undefined && isConstitution(path, text)) return true;
    // The last diagnostics pass's files (it runs after every change): walking the workspace's
    // import graph here again would cost that walk on each keystroke in any YAML or JSON file.
    this.diagnosed ??= new Set(this.diagnosedFiles());
    return this.diagnosed.has(path);
  }

  /** The files the last diagnostics pass covered (`diagnosedFiles`), for `isServed`. */
  private diagnosed: Set<string> | undefined;

  /** The files diagnostics are published for now; `isServed` answers from them until the next. */
  diagnose(): string[] {
    const files = this.diagnosedFiles();
    this.diagnosed = new Set(files);
    return files;
  }

  /**
   * Whether the file at `path` is a constitution, open or on disk (a .charter file, or a YAML/JSON
   * file that looks like one), without parsing it: what import-path completion offers.
   */
  isConstitutionFile(path: string): boolean {
    if (!CANDIDATE.test(path)) return false;
    const open = this.open.get(path);
    if (open !== undefined) return isConstitution(path, open.getText());
    if (formatOf(path) === "charter") return true;
    // The workspace's files are read once (and again when they change); others each time.
    if (this.workspaceFileSet.has(path)) return this.diskEntry(path).constitution;
    try {
      if (statSync(path).size > MAX_DOCUMENT_SCAN) return false;
      return isConstitution(path, readFileSync(path, "utf8"));
    } catch {
      return false;
    }
  }

  /** The workspace's constitutions, open or on disk, and every file they import. */
  knownFiles(): string[] {
    return this.closure([...this.openConstitutions(), ...this.diskConstitutions()]);
  }

  /**
   * The files diagnostics are published for: the open constitutions, the workspace's files that
   * import them (transitively), and everything those import. A file outside every open
   * document's import graph is never compiled for diagnostics (a large repository stays quiet).
   */
  diagnosedFiles(): string[] {
    const open = this.openConstitutions();
    const importers = new Map<string, string[]>();
    for (const path of new Set([...open, ...this.diskConstitutions()])) {
      for (const target of this.importsOf(path)) {
        const list = importers.get(target) ?? [];
        list.push(path);
        importers.set(target, list);
      }
    }
    const up = new Set<string>();
    const pending = [...open];
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (up.has(path)) continue;
      up.add(path);
      pending.push(...(importers.get(path) ?? []));
    }
    return this.closure([...up]);
  }

  /** `paths` and every file they import, transitively (files that exist). */
  closure(paths: readonly string[]): string[] {
    const seen = new Set<string>();
    const order: string[] = [];
    const visit = (path: string): void => {
      if (seen.has(path)) return;
      seen.add(path);
      const model = this.model(path);
      if (model === undefined) return;
      order.push(path);
      for (const edge of model.imports) visit(edge.target);
    };
    for (const path of paths) visit(path);
    return order;
  }

  /** For each of `files`, the ones among them importing it. */
  importers(files: readonly string[]): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const path of files) {
      for (const edge of this.model(path)?.imports ?? []) {
        const list = result.get(edge.target) ?? [];
        if (!list.includes(path)) list.push(path);
        result.set(edge.target, list);
      }
    }
    return result;
  }

  /** Compiles `path` as a constitution's entry (kept until a file it read changes). */
  compile(path: string): CompileResult {
    return this.workspace.compile(path);
  }

  /** What `path` exports as an entry: its pieces and its imports', merged. */
  exports(path: string): Exports | undefined {
    return this.workspace.exports(path);
  }

  /** The workspace's files no editor holds that are constitutions (by their text on disk). */
  private diskConstitutions(): string[] {
    return this.workspaceFiles.filter(
      (path) => !this.open.has(path) && this.diskEntry(path).constitution,
    );
  }

  /** The files `path` imports: from the editor's text when open, else from the disk (cached). */
  private importsOf(path: string): readonly string[] {
    if (this.open.has(path)) return this.model(path)?.imports.map((edge) => edge.target) ?? [];
    return this.diskEntry(path).imports;
  }

  private diskEntry(path: string): DiskEntry {
    const known = this.disk.get(path);
    if (known !== undefined) return known;
    const text = this.workspace.read(path);
    const constitution =
      text !== undefined &&
      (formatOf(path) === "charter" || text.length <= MAX_DOCUMENT_SCAN) &&
      isConstitution(path, text);
    // Only a file that mentions `import` is parsed to learn where its imports point.
    const imports =
      constitution && text.includes("import")
        ? (this.model(path)?.imports.map((edge) => edge.target) ?? [])
        : [];
    const entry: DiskEntry = { constitution, imports };
    this.disk.set(path, entry);
    return entry;
  }
}

function isConstitution(path: string, text: string): boolean {
  return formatOf(path) === "charter" || LOOKS_LIKE_CONSTITUTION.test(text);
}

/** Where each import of a file points, resolved as the linker does (relative to the file). */
function importEdges(path: string, ast: FileAst): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const decl of ast.declarations) {
    if (decl.kind !== "import") continue;
    edges.push({ decl, target: resolve(normalize(join(dirname(path), decl.path.value))) });
  }
  return edges;
}
