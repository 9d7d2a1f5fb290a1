// Start-up laziness, by what a real `charter` process loads (not by timing it): a provider's SDK
// only when one of its models is used, chevrotain only for a file with a syntax problem, `fmt` and
// `lsp` (then as its one-file bundle, never lodash-es's ~640 modules), `yaml` only for YAML, and
// nothing of the language for `--help`. Both the sources (tsx)
// and the built command (dist/cli/main.js, bundled by esbuild: there the SDKs live in chunks, which
// dist/cli/chunks/contents.json names) are checked. Speed itself is measured in bench/startup.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compileSource, renderDiagnostics, toYaml } from "../../src/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { REPO_ROOT } from "./charter-process.js";
import { CHARTER_MAIN } from "./run-charter.js";

const server = useModelServer();
const HARMLESS = join(REPO_ROOT, "constitutions/harmless.charter");
/** harmless.charter as YAML (what `charter convert --to yaml` writes). */
const YAML_HARMLESS = join(mkdtempSync(join(tmpdir(), "charter-startup-yaml-")), "harmless.yaml");
beforeAll(() => {
  const { constitution } = compileSource(readFileSync(HARMLESS, "utf8"), { filename: HARMLESS });
  if (constitution === undefined) throw new Error("harmless.charter does not compile");
  writeFileSync(YAML_HARMLESS, toYaml(constitution));
});

/** How a process runs `charter`: from the sources through tsx, or the build users run. */
interface Entry {
  /** Node's options before the module log's `--import` (whose own loads it does not log). */
  readonly options: readonly string[];
  readonly main: string;
  /** What each output file of the build holds (parts, src/ folders), by path under dist/cli/. */
  readonly chunks?: Readonly<Record<string, readonly string[]>>;
}

const SOURCES: Entry = {
  options: ["--import", "tsx"],
  main: join(REPO_ROOT, "src/cli/main.ts"),
};

function built(): Entry {
  const chunks = join(REPO_ROOT, "dist/cli/chunks/contents.json");
  if (!existsSync(chunks)) throw new Error(`${chunks} is missing: run 'npm run build' first`);
  return {
    options: [],
    main: CHARTER_MAIN,
    chunks: JSON.parse(readFileSync(chunks, "utf8")) as Record<string, string[]>,
  };
}

/**
 * What `charter ARGS` loaded, after it exited with 0: parts (from node_modules or inside a
 * loaded chunk of the build) and Charter's own folders (`src/dsl`, ...), and every module URL.
 */
async function loadedBy(
  entry: Entry,
  args: readonly string[],
  exitCode = 0,
): Promise<{ parts: Set<string>; urls: string[]; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "charter-startup-"));
  const log = join(dir, "modules.txt");
  writeFileSync(log, "");
  const child = spawn(
    process.execPath,
    [
      ...entry.options,
      ...["--import", join(REPO_ROOT, "test/fixtures/module-log.mjs")],
      entry.main,
      ...args,
    ],
    {
      // --import tsx resolves from the working directory.
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        CHARTER_MODULE_LOG: log,
        OPENAI_API_KEY: "test",
        ANTHROPIC_API_KEY: "test",
        NODE_OPTIONS: "",
      },
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code, stderr).toBe(exitCode);
  const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const distCli = join(REPO_ROOT, "dist/cli/");
  const parts = new Set(
    urls.flatMap((url) => {
      const found = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
      if (found?.[1] !== undefined) return [found[1]];
      if (!url.startsWith("file:")) return [];
      const path = fileURLToPath(url);
      if (path.startsWith(distCli)) return entry.chunks?.[path.slice(distCli.length)] ?? [];
      const folder = /^src\/[^/]+(?=\/)/.exec(path.slice(REPO_ROOT.length));
      return folder === null ? [] : [folder[0]];
    }),
  );
  return { parts, urls, stderr };
}

/** The module URLs of chevrotain a process loaded. */
function chevrotainUrls(urls: readonly string[]): string[] {
  return urls.filter((url) => url.includes("/node_modules/chevrotain/"));
}

/** What a process that needed chevrotain loaded of it: its one-file bundle, nothing else. */
const CHEVROTAIN_BUNDLE_ONLY = [
  expect.stringMatching(/\/node_modules\/chevrotain\/lib\/chevrotain\.mjs$/),
];

/** harmless.charter with a `}` missing: the clean path declines it, chevrotain reports it. */
const BROKEN = join(mkdtempSync(join(tmpdir(), "charter-startup-broken-")), "broken.charter");
beforeAll(() => {
  writeFileSync(BROKEN, readFileSync(HARMLESS, "utf8").replace(/\}\s*$/, ""));
});

function reviseArgs(model: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "charter-startup-run-"));
  const prompts = join(dir, "prompts.jsonl");
  writeFileSync(prompts, `${JSON.stringify({ id: "a", prompt: "How do I fix a lock?" })}\n`);
  return [
    ...["revise", "--constitution", HARMLESS, "--prompts", prompts, "--model", model],
    ...["--revisions", "1", "--out", join(dir, "out"), "--no-cache", "--quiet"],
  ];
}

describe.each([
  ["sources", (): Entry => SOURCES],
  ["build", built],
])("what a charter process loads: %s", (_name, entryOf) => {
  it("--help loads neither the language nor any SDK", async () => {
    const { parts } = await loadedBy(entryOf(), ["--help"]);
    expect([...parts].filter((part) => part !== "src" && !part.startsWith("src/"))).toEqual([]);
    expect(parts.has("src/dsl")).toBe(false);
    expect(parts.has("src/providers")).toBe(false);
  });

  it("check of a clean .charter file loads neither chevrotain nor yaml nor an SDK", async () => {
    const { parts, urls } = await loadedBy(entryOf(), ["check", HARMLESS]);
    expect(chevrotainUrls(urls)).toEqual([]);
    expect(parts.has("lodash-es")).toBe(false);
    expect(parts.has("yaml")).toBe(false);
    expect(parts.has("openai")).toBe(false);
    expect(parts.has("@anthropic-ai/sdk")).toBe(false);
  });

  it("check of a file with a syntax error loads chevrotain (its one file) and reports it", async () => {
    const { urls, stderr } = await loadedBy(entryOf(), ["check", BROKEN], 1);
    expect(chevrotainUrls(urls)).toEqual(CHEVROTAIN_BUNDLE_ONLY);
    // The library (which loads chevrotain up front) gives the same diagnostics.
    const text = readFileSync(BROKEN, "utf8");
    const { diagnostics } = compileSource(text, { filename: BROKEN });
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(stderr).toContain(renderDiagnostics(diagnostics, { [BROKEN]: text }));
  });

  it("fmt loads chevrotain (its one file) for the tokens and CST", async () => {
    const { urls } = await loadedBy(entryOf(), ["fmt", "--check", HARMLESS]);
    expect(chevrotainUrls(urls)).toEqual(CHEVROTAIN_BUNDLE_ONLY);
  });

  it("check of a YAML constitution loads yaml, as one file in the build", async () => {
    const entry = entryOf();
    const { parts, urls } = await loadedBy(entry, ["check", YAML_HARMLESS]);
    expect(parts.has("yaml")).toBe(true);
    expect(parts.has("openai")).toBe(false);
    // Its expressions are read by the clean expression parser.
    expect(readFileSync(YAML_HARMLESS, "utf8")).toMatch(/\b(when|require|check): /);
    expect(chevrotainUrls(urls)).toEqual([]);
    // The package is ~60 CommonJS files; the build requires its one-file copy instead.
    if (entry.chunks !== undefined)
      expect(urls.filter((url) => /\/yaml(\.cjs$|\/)/.test(url))).toEqual([
        expect.stringMatching(/\/dist\/cli\/chunks\/yaml\.cjs$/),
      ]);
  });

  it("an offline revise loads no SDK", async () => {
    const entry = entryOf();
    const { parts, urls } = await loadedBy(entry, reviseArgs("offline:rehearsal"));
    expect(parts.has("openai")).toBe(false);
    expect(parts.has("@anthropic-ai/sdk")).toBe(false);
    expect(chevrotainUrls(urls)).toEqual([]);
    // The build bundles seedrandom (CommonJS: it would start Node's CommonJS loader) and re2js,
    // and a clean constitution needs no chevrotain: nothing is read from node_modules.
    if (entry.chunks !== undefined)
      expect(urls.filter((url) => url.includes("/node_modules/"))).toEqual([]);
  });

  it("a revise with an OpenAI model loads the openai SDK and not Anthropic's", async () => {
    const { parts } = await loadedBy(entryOf(), reviseArgs(`openai:m@${server.openaiBaseUrl}`));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(parts.has("openai")).toBe(true);
    expect(parts.has("@anthropic-ai/sdk")).toBe(false);
  });

  it("a revise with an Anthropic model loads the Anthropic SDK and not openai", async () => {
    const { parts } = await loadedBy(
      entryOf(),
      reviseArgs(`anthropic:m@${server.anthropicBaseUrl}`),
    );
    expect(server.requests.length).toBeGreaterThan(0);
    expect(parts.has("@anthropic-ai/sdk")).toBe(true);
    expect(parts.has("openai")).toBe(false);
  });
});
