// Prompt caching over a Phase 1 run: 20 prompts, 4 revisions, against the test server's stand-in
// for each provider's prompt cache; the share of input tokens read from it and the run's cost as
// a ratio to the same tokens billed fresh (prices given, Claude Haiku 4.5's and GPT-4.1's).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { startModelServer } from "../test/fixtures/model-server.js";
import { protocolHandler, testConstitution } from "../test/cli/revise-fixture.js";

export const description =
  "revise, 20 prompts × 4 revisions, on the test server's prompt-cache stand-in: cached share of input tokens and cost against no caching";

const PROMPTS = 20;
const PRICES = {
  "anthropic:claude-haiku-4-5": { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  "openai:gpt-4.1": { input: 2, output: 8, cachedInput: 0.5 },
};

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-prompt-cache-"));
  try {
    writeFileSync(join(dir, "constitution.json"), JSON.stringify(testConstitution()));
    writeFileSync(join(dir, "charter.config.json"), JSON.stringify({ prices: PRICES }));
    const prompts = Array.from({ length: PROMPTS }, (_, n) =>
      JSON.stringify({ id: `p${n}`, prompt: `question #${n} ${"context ".repeat(40)}` }),
    );
    writeFileSync(join(dir, "prompts.jsonl"), `${prompts.join("\n")}\n`);
    for (const model of Object.keys(PRICES)) {
      const server = await startModelServer({ handler: protocolHandler, promptCache: {} });
      const anthropic = model.startsWith("anthropic:");
      const out = join(dir, model.replace(/\W/g, "-"));
      const io = {
        stdout: { write: () => undefined },
        stderr: { write: (text: string) => void process.stderr.write(text) },
        cwd: dir,
        env: { ANTHROPIC_API_KEY: "bench", CHARTER_CACHE_DIR: join(dir, "cache") },
        isTTY: false,
      };
      await main(
        [
          "revise",
          ...["--constitution", join(dir, "constitution.json")],
          ...["--prompts", join(dir, "prompts.jsonl"), "--model", model],
          ...["--base-url", anthropic ? server.anthropicBaseUrl : server.openaiBaseUrl],
          ...["--revisions", "4", "--out", out, "--quiet", "--no-cache"],
        ],
        io,
      );
      await server.close();
      const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8")) as {
        counters: Record<string, number>;
        promptCache?: { share: number; savingUsd: number | null };
      };
      const cost = stats.counters.cost ?? 0;
      const saving = stats.promptCache?.savingUsd ?? 0;
      console.log(
        `${model}: ${((stats.promptCache?.share ?? 0) * 100).toFixed(1)}% of input tokens read from the cache; cost ${(cost / (cost + saving)).toFixed(2)}× the uncached cost ($${cost.toFixed(4)} vs $${(cost + saving).toFixed(4)})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
