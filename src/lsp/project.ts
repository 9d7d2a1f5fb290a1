// The server's view of the constitutions in the editor's workspace, on the compiler workspace
// (src/dsl/workspace.ts): open documents' unsaved text over the disk, the workspace's `.charter`
// files, the import graph between them, and for each file what the editor features read (AST,
// line map, import edges). Roles follow the graph: a file another file imports is a library.

import { dirname, join, normalize, resolve } from "node:path";
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
import { charterFilesUnder } from "./sources.js";

export interface ImportEdge {
  readonly decl: ImportDecl;
  /** Absolute path the import names (whether or not it exists). */
  readonly target: string;
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

export class Project {
  readonly workspace: CompilerWorkspace;
  private readonly open = new Map<string, TextDocument>();
  private readonly models = new Map<string, FileModel>();
  private folders: readonly string[] = [];
  private workspaceFiles: string[] = [];

  constructor(cwd: string = process.cwd()) {
    this.workspace = new CompilerWorkspace({ cwd });
  }

  setFolders(folders: readonly string[]): void {
    this.folders = folders;
    this.rescan();
  }

  /** Finds the workspace's `.charter` files again (after files were created or deleted). */
  rescan(): void {
    this.workspaceFiles = charterFilesUnder(this.folders);
  }

  /** The editor opened or changed a document: its text wins over the disk from now on. */
  setOpen(path: string, document: TextDocument): void {
    this.open.set(path, document);
    this.workspace.update(path, document.getText());
  }

  /** The editor closed a document: it is read from disk again. */
  close(path: string): void {
    this.open.delete(path);
    this.workspace.close(path);
  }

  /** A file changed on disk: read it again unless the editor holds it. */
  changedOnDisk(path: string): void {
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
      ...(document.syntax !== undefined ? { syntax: document.syntax } : {}),
      imports: importEdges(path, document.ast),
    };
    this.models.set(path, model);
    return model;
  }

  /** Open constitutions, the workspace's `.charter` files and everything they import. */
  knownFiles(): string[] {
    const openConstitutions = [...this.open.entries()]
      .filter(([path, document]) => isConstitution(path, document.getText()))
      .map(([path]) => path);
    return this.closure([...openConstitutions, ...this.workspaceFiles]);
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

  /** For each known file, the known files importing it. */
  importers(): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const path of this.knownFiles()) {
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
