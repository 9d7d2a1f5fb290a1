// State `linked` (resolve imports) and the merge: follows `import`s relative to the importing file,
// refuses cycles and paths outside the project root, applies `only`/`as`, then `override` and
// `drop`, and reports ids defined twice naming both places.

import { dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import type { ImportDecl, SourceRange } from "../ast.js";
import type {
  CompiledFewShotSet,
  CompiledPrinciple,
  CompiledRubric,
  CompiledRule,
  CompiledTemplate,
  DefaultValue,
} from "../../constitution/compiled.js";
import type { CompiledUnit, Located, PrincipleOverride } from "./compile-unit.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";

/** What a file contributes to whoever imports it: its own pieces plus its imports, merged. */
export interface Exports {
  readonly principles: Map<string, Located<CompiledPrinciple>>;
  readonly rules: Map<string, Located<CompiledRule>>;
  readonly rubrics: Map<string, Located<CompiledRubric>>;
  readonly templates: Map<string, Located<CompiledTemplate>>;
  readonly fewShots: Map<string, Located<CompiledFewShotSet>>;
  readonly defaults: Record<string, DefaultValue>;
  /** Files pulled in, in resolution order (imports before importers). */
  readonly files: string[];
}

/** Loads (parses and checks) a file by path; undefined when it does not exist. */
export type UnitLoader = (file: string) => CompiledUnit | undefined;

function emptyExports(): Exports {
  return {
    principles: new Map(),
    rules: new Map(),
    rubrics: new Map(),
    templates: new Map(),
    fewShots: new Map(),
    defaults: Object.create(null) as Record<string, DefaultValue>,
    files: [],
  };
}

const sameOrigin = <T>(a: Located<T>, b: Located<T>): boolean =>
  a.file === b.file && a.range.start.offset === b.range.start.offset;

const place = <T>(item: Located<T>): string =>
  `${item.file}:${item.range.start.line}:${item.range.start.column}`;

/** Glob over dotted ids: `*` matches any run of characters (`harm.*`, `*.general`). */
function globMatcher(pattern: string): (id: string) => boolean {
  if (!pattern.includes("*")) return (id) => id === pattern;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const regex = new RegExp(`^${source}$`);
  return (id) => regex.test(id);
}

/** What an import takes of the file it names: everything, or the pieces its `only` globs match. */
export function takenByImport(exports: Exports, decl: ImportDecl): Exports {
  if (decl.only === undefined) return exports;
  const matchers = decl.only.map((pattern) => globMatcher(pattern.name));
  const keep = <T>(map: Map<string, Located<T>>): Map<string, Located<T>> =>
    new Map([...map].filter(([id]) => matchers.some((matches) => matches(id))));
  return {
    principles: keep(exports.principles),
    rules: keep(exports.rules),
    rubrics: keep(exports.rubrics),
    templates: keep(exports.templates),
    fewShots: keep(exports.fewShots),
    defaults: exports.defaults,
    files: exports.files,
  };
}

export class Linker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly done = new Map<string, Exports>();

  constructor(
    private readonly load: UnitLoader,
    /** Imports may not leave this directory. */
    private readonly root: string,
    /** Base of relative file names. */
    private readonly cwd: string,
    /** True once a file had syntax errors: unknown-id checks would only add noise. */
    private readonly quiet: () => boolean,
    /** Told each import as it resolves (importing file, target path), found or not. */
    private readonly onImport: (from: string, to: string) => void = () => undefined,
  ) {}

  /** The merged contents of `unit` and everything it imports. */
  exportsOf(unit: CompiledUnit, stack: readonly string[] = []): Exports {
    const cached = this.done.get(unit.file);
    if (cached !== undefined) return cached;
    const result = emptyExports();
    const chain = [...stack, unit.file];
    for (const decl of unit.imports) this.importInto(result, unit, decl, chain);
    this.addOwn(result, unit);
    this.done.set(unit.file, result);
    return result;
  }

  private report(
    code: DiagnosticCode,
    message: string,
    file: string,
    range: SourceRange,
    details: Parameters<typeof diagnostic>[3] = {},
  ): void {
    this.diagnostics.push(diagnostic(code, message, { file, ...range }, details));
  }

  private resolve(unit: CompiledUnit, decl: ImportDecl): string | undefined {
    const spec = decl.path.value;
    if (isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec)) {
      this.report(
        "import-outside-root",
        `imports must be relative paths, not \`${spec}\``,
        unit.file,
        decl.path.range,
      );
      return undefined;
    }
    const target = normalize(join(dirname(unit.file), spec));
    const fromRoot = relative(this.root, resolve(this.cwd, target));
    if (fromRoot.startsWith("..") || isAbsolute(fromRoot)) {
      this.report(
        "import-outside-root",
        `\`${spec}\` is outside the project root (imports stay inside the directory holding package.json or .git)`,
        unit.file,
        decl.path.range,
      );
      return undefined;
    }
    return target;
  }

  private importInto(
    result: Exports,
    unit: CompiledUnit,
    decl: ImportDecl,
    chain: readonly string[],
  ): void {
    const target = this.resolve(unit, decl);
    if (target === undefined) return;
    this.onImport(unit.file, target);
    const cycleStart = chain.indexOf(target);
    if (cycleStart >= 0) {
      const cycle = [...chain.slice(cycleStart), target].join(" -> ");
      this.report("import-cycle", `import cycle: ${cycle}`, unit.file, decl.path.range);
      return;
    }
    const imported = this.load(target);
    if (imported === undefined) {
      this.report(
        "import-not-found",
        `cannot find \`${decl.path.value}\` (looked for ${target})`,
        unit.file,
        decl.path.range,
      );
      return;
    }
    const exports = this.exportsOf(imported, chain);
    const taken = this.select(exports, decl, unit.file);
    for (const file of [...exports.files, target])
      if (!result.files.includes(file)) result.files.push(file);
    Object.assign(result.defaults, exports.defaults);
    const prefix = decl.as === undefined ? "" : `${decl.as.name}.`;
    const blame = { file: unit.file, range: decl.path.range };
    this.mergeInto(
      result.principles,
      taken.principles,
      prefix,
      "duplicate-principle",
      "principle",
      blame,
    );
    this.mergeInto(result.rules, taken.rules, prefix, "duplicate-rule", "rule", blame);
    this.mergeInto(result.rubrics, taken.rubrics, prefix, "duplicate-rubric", "rubric", blame);
    this.mergeInto(result.templates, taken.templates, "", "duplicate-template", "template", blame);
    this.mergeInto(
      result.fewShots,
      taken.fewShots,
      prefix,
      "duplicate-few-shot",
      "few-shot set",
      blame,
    );
  }

  /** Applies `only`: keeps pieces whose id matches a pattern; reports patterns matching nothing. */
  private select(exports: Exports, decl: ImportDecl, file: string): Exports {
    if (decl.only === undefined) return exports;
    const matchers = decl.only.map((pattern) => ({ pattern, matches: globMatcher(pattern.name) }));
    const allIds = [
      ...exports.principles.keys(),
      ...exports.rules.keys(),
      ...exports.rubrics.keys(),
      ...exports.templates.keys(),
      ...exports.fewShots.keys(),
    ];
    for (const { pattern, matches } of matchers) {
      if (allIds.some(matches)) continue;
      const suggestion = didYouMean(pattern.name, allIds);
      this.report(
        "import-only-unknown",
        `\`${decl.path.value}\` defines nothing named \`${pattern.name}\``,
        file,
        pattern.range,
        suggestion === undefined ? {} : { suggestion },
      );
    }
    return takenByImport(exports, decl);
  }

  /** Merges imported pieces; the same definition reached twice (a diamond) is not a duplicate. */
  private mergeInto<T extends { id: string } | { name: string }>(
    into: Map<string, Located<T>>,
    from: Map<string, Located<T>>,
    prefix: string,
    code: DiagnosticCode,
    what: string,
    blame: { file: string; range: SourceRange },
  ): void {
    for (const [id, item] of from) {
      const key = `${prefix}${id}`;
      const renamed: Located<T> =
        prefix === "" ? item : { ...item, value: { ...item.value, id: key } };
      const existing = into.get(key);
      if (existing === undefined) {
        into.set(key, renamed);
      } else if (!sameOrigin(existing, item)) {
        this.report(
          code,
          `${what} \`${key}\` is imported twice: from ${place(existing)} and ${place(item)}`,
          blame.file,
          blame.range,
          {
            related: [
              {
                message: `\`${key}\` defined here`,
                range: { file: existing.file, ...existing.range },
              },
              { message: `and here`, range: { file: item.file, ...item.range } },
            ],
          },
        );
      }
    }
  }

  private addOwn(result: Exports, unit: CompiledUnit): void {
    const own = <T extends { id: string }>(
      into: Map<string, Located<T>>,
      items: readonly Located<T>[],
      code: DiagnosticCode,
      what: string,
    ): void => {
      for (const item of items) {
        const existing = into.get(item.value.id);
        if (existing === undefined) {
          into.set(item.value.id, item);
        } else if (existing.file !== unit.file) {
          const hint =
            what === "principle"
              ? `; write \`override principle ${item.value.id}\` to change it`
              : "";
          this.report(
            code,
            `${what} \`${item.value.id}\` is already imported from ${place(existing)}${hint}`,
            unit.file,
            item.range,
            {
              related: [
                {
                  message: `\`${item.value.id}\` imported from here`,
                  range: { file: existing.file, ...existing.range },
                },
              ],
            },
          );
        }
        // A duplicate inside one file was reported by the check stage.
      }
    };
    own(result.principles, unit.principles, "duplicate-principle", "principle");
    own(result.rules, unit.rules, "duplicate-rule", "rule");
    own(result.rubrics, unit.rubrics, "duplicate-rubric", "rubric");
    own(result.fewShots, unit.fewShots, "duplicate-few-shot", "few-shot set");
    // A file's own template replaces an imported one: that is what a template block is for.
    for (const template of unit.templates) {
      if (
        !result.templates.has(template.value.name) ||
        result.templates.get(template.value.name)?.file !== unit.file
      ) {
        result.templates.set(template.value.name, template);
      }
    }
    Object.assign(result.defaults, unit.defaults);
    for (const override of unit.overrides) this.applyOverride(result, unit, override);
    for (const drop of unit.drops) {
      if (result.principles.has(drop.value.name)) result.principles.delete(drop.value.name);
      else this.unknownPrinciple(result, unit, drop.value.name, drop.range, "drop");
    }
  }

  private applyOverride(
    result: Exports,
    unit: CompiledUnit,
    override: Located<PrincipleOverride>,
  ): void {
    const { id, location, ...fields } = override.value;
    const existing = result.principles.get(id);
    if (existing === undefined) {
      this.unknownPrinciple(result, unit, id, override.range, "override");
      return;
    }
    const merged: CompiledPrinciple = { ...existing.value, ...fields, location };
    result.principles.set(id, { value: merged, file: override.file, range: override.range });
  }

  private unknownPrinciple(
    result: Exports,
    unit: CompiledUnit,
    id: string,
    range: SourceRange,
    verb: string,
  ): void {
    if (this.quiet()) return;
    const suggestion = didYouMean(id, result.principles.keys());
    this.report(
      "unknown-principle",
      `cannot ${verb} \`${id}\`: no principle with that id is defined or imported`,
      unit.file,
      range,
      suggestion === undefined ? {} : { suggestion },
    );
  }
}
