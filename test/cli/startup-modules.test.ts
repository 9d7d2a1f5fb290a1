// Start-up laziness, by what a real `charter` process loads (not by timing it): a provider's SDK
// only when one of its models is used, chevrotain as its one-file bundle (never lodash-es's ~640
// modules), `yaml` only for YAML, and nothing of the language for `--help`. Speed itself is
// measured in bench/startup.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { REPO_ROOT } from "./charter-process.js";

const server = useModelServer();
const HARMLESS = join(REPO_ROOT, "constitutions/harmless.charter");

/** The packages (and chevrotain's entry file) `charter ARGS` loaded, after it exited with 0. */
async function loadedBy(
  args: readonly string[],
): Promise<{ packages: Set<string>; urls: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "charter-startup-"));
  const log = join(dir, "modules.txt");
  writeFileSync(log, "");
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      join(REPO_ROOT, "test/fixtures/module-log.mjs"),
      join(REPO_ROOT, "src/cli/main.ts"),
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
  expect(code, stderr).toBe(0);
  const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const packages = new Set(
    urls.flatMap((url) => {
      const found = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
      return found?.[1] === undefined ? [] : [found[1]];
    }),
  );
  return { packages, urls };
}

function reviseArgs(model: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "charter-startup-run-"));
  const prompts = join(dir, "prompts.jsonl");
  writeFileSync(prompts, `${JSON.stringify({ id: "a", prompt: "How do I fix a lock?" })}\n`);
  return [
    ...["revise", "--constitution", HARMLESS, "--prompts", prompts, "--model", model],
    ...["--revisions", "1", "--out", join(dir, "out"), "--no-cache", "--quiet"],
  ];
}

describe("what a charter process loads", () => {
  it("--help loads neither the language nor any SDK", async () => {
    const { packages, urls } = await loadedBy(["--help"]);
    expect([...packages]).toEqual([]);
    expect(urls.filter((url) => url.includes("/src/dsl/"))).toEqual([]);
  });

  it("check loads chevrotain as its one-file bundle and no SDK", async () => {
    const { packages, urls } = await loadedBy(["check", HARMLESS]);
    expect(packages.has("lodash-es")).toBe(false);
    expect(packages.has("yaml")).toBe(false);
    expect(packages.has("openai")).toBe(false);
    expect(packages.has("@anthropic-ai/sdk")).toBe(false);
    expect(urls.filter((url) => url.includes("/node_modules/chevrotain/"))).toEqual([
      expect.stringMatching(/\/node_modules\/chevrotain\/lib\/chevrotain\.mjs$/),
    ]);
  });

  it("an offline revise loads no SDK", async () => {
    const { packages } = await loadedBy(reviseArgs("offline:rehearsal"));
    expect(packages.has("openai")).toBe(false);
    expect(packages.has("@anthropic-ai/sdk")).toBe(false);
  });

  it("a revise with an OpenAI model loads the openai SDK and not Anthropic's", async () => {
    const { packages } = await loadedBy(reviseArgs(`openai:m@${server.openaiBaseUrl}`));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(packages.has("openai")).toBe(true);
    expect(packages.has("@anthropic-ai/sdk")).toBe(false);
  });

  it("a revise with an Anthropic model loads the Anthropic SDK and not openai", async () => {
    const { packages } = await loadedBy(reviseArgs(`anthropic:m@${server.anthropicBaseUrl}`));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(packages.has("@anthropic-ai/sdk")).toBe(true);
    expect(packages.has("openai")).toBe(false);
  });
});
