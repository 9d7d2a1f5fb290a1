// The server's view of the constitutions in the editor's workspace: each file parsed, checked and
// compiled once per version of its text, the import graph between files, and linking per root
// file. Roles follow the graph: a file some other file imports is a library (no header needed).

import { existsSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import type { Diagnostic, FileAst, ImportDecl, SourceFormat } from "../dsl/index.js";
import { formatOf, hasErrors, parseSource, sortDiagnostics } from "../dsl/index.js";
import { checkFile } from "../dsl/compile/check.js";
import { checkLinked } from "../dsl/compile/check-linked.js";
import { compileUnit, type CompiledUnit } from "../dsl/compile/compile-unit.js";
import { Linker, type Exports } from "../dsl/compile/link.js";
import { LineMap } from "./positions.js";
import { charterFilesUnder, type SourceStore } from "./sources.js";

export interface ImportEdge {
  readonly decl: ImportDecl;
  /** Absolute path the import names (whether or not it exists). */
  readonly target: string;
}

/** One constitution file at one version of its text. */
export interface FileModel {
  readonly path: string;
  readonly text: string;
  readonly stamp: string;
  readonly version?: number;
  readonly format: SourceFormat;
  readonly lines: LineMap;
  readonly ast: FileAst;
  readonly unit: CompiledUnit;
  readonly imports: readonly ImportEdge[];
  /** Lexing, parsing and reading problems (before checks). */
  readonly syntax: readonly Diagnostic[];
}

/** A file linked as the entry of a constitution: what it exports and its cross-file problems. */
export interface LinkedRoot {
  readonly exports: Exports;
  /** Files involved, the root included. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A YAML/JSON file is only taken for a constitution when it looks like one (or is imported). */
const LOOKS_LIKE_CONSTITUTION = /^\s*"?(charter|principles|rules|rubrics|imports)"?\s*:/m;

/** The directory imports may not leave: as `charter check` finds it (package.json or .git). */
export function projectRoot(file: string): string {
  const start = dirname(file);
  for (let directory = start; ;) {
    if (existsSync(join(directory, "package.json")) || existsSync(join(directory, ".git"))) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) return start;
    directory = parent;
  }
}

export class Project {
  private readonly models = new Map<string, FileModel>();
  private readonly checks = new Map<string, { key: string; diagnostics: Diagnostic[] }>();
  private readonly links = new Map<string, { key: string; linked: LinkedRoot }>();
  private workspaceFiles: string[] = [];

  constructor(
    readonly sources: SourceStore,
    private folders: readonly string[] = [],
  ) {}

  setFolders(folders: readonly string[]): void {
    this.folders = folders;
    this.rescan();
  }

  /** Finds the workspace's `.charter` files again (after files were created or deleted). */
  rescan(): void {
    this.workspaceFiles = charterFilesUnder(this.folders);
  }

  /** The file parsed at its current text; undefined when it cannot be read. */
  model(path: string): FileModel | undefined {
    const source = this.sources.read(path);
    if (source === undefined) return undefined;
    const cached = this.models.get(path);
    if (cached !== undefined && cached.stamp === source.stamp) return cached;
    const format = formatOf(path);
    const parsed = parseSource(source.text, path, format);
    const model: FileModel = {
      path,
      text: source.text,
      stamp: source.stamp,
      ...(source.version !== undefined ? { version: source.version } : {}),
      format,
      lines: new LineMap(source.text),
      ast: parsed.ast,
      unit: compileUnit(parsed.ast),
      imports: importEdges(path, parsed.ast),
      syntax: parsed.diagnostics,
    };
    this.models.set(path, model);
    return model;
  }

  /** Open constitutions, the workspace's `.charter` files and everything they import. */
  knownFiles(): string[] {
    const start = [
      ...this.sources.openPaths().filter((path) => this.isConstitutionText(path)),
      ...this.workspaceFiles,
    ];
    return this.closure(start);
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

  /** Check-stage problems of a file in its role (an imported file needs no header). */
  checked(model: FileModel, library: boolean): Diagnostic[] {
    const key = `${model.stamp}\u0000${library}`;
    const cached = this.checks.get(model.path);
    if (cached !== undefined && cached.key === key) return cached.diagnostics;
    const diagnostics = [...model.syntax, ...checkFile(model.ast, model.text, !library)];
    this.checks.set(model.path, { key, diagnostics });
    return diagnostics;
  }

  /** Links `path` as the entry of a constitution (cached while no file involved changes). */
  link(path: string): LinkedRoot | undefined {
    const root = this.model(path);
    if (root === undefined) return undefined;
    const files = this.closure([path]);
    const key = files.map((file) => `${file}\u0000${this.model(file)?.stamp}`).join("\u0001");
    const cached = this.links.get(path);
    if (cached !== undefined && cached.key === key) return cached.linked;
    const quiet = files.some((file) => this.model(file)?.ast.hasSyntaxErrors === true);
    const linker = new Linker(
      (file) => this.model(file)?.unit,
      projectRoot(path),
      dirname(path),
      () => quiet,
    );
    const exports = linker.exportsOf(root.unit);
    const diagnostics = [...linker.diagnostics];
    if (!hasErrors(diagnostics)) diagnostics.push(...checkLinked(exports));
    const linked: LinkedRoot = { exports, files, diagnostics: sortDiagnostics(diagnostics) };
    this.links.set(path, { key, linked });
    return linked;
  }

  private isConstitutionText(path: string): boolean {
    if (formatOf(path) === "charter") return true;
    const text = this.sources.read(path)?.text;
    return text !== undefined && LOOKS_LIKE_CONSTITUTION.test(text);
  }
}

function importEdges(path: string, ast: FileAst): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const decl of ast.declarations) {
    if (decl.kind !== "import") continue;
    edges.push({ decl, target: resolve(normalize(join(dirname(path), decl.path.value))) });
  }
  return edges;
}
