// A synthetic Phase 1 run folder for the report benchmark: manifest, stats, sft.jsonl and a
// trace.jsonl shaped like `charter revise`'s (first reply, then per round a critique and either a
// no-change or a revision), replies of ~60 words, seeded so every run measures the same bytes.

import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { seededRandom } from "../src/runtime/index.js";

const WORDS = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
const PRINCIPLES = Array.from({ length: 12 }, (_, i) => `principle.p${i}`);

/** Writes a run folder of `items` items with `rounds` rounds each into `folder`. */
export async function writeSyntheticReviseRun(
  folder: string,
  items: number,
  rounds = 3,
): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const random = seededRandom(1, "report-bench");
  const text = (words: number): string =>
    Array.from({ length: words }, () => WORDS[Math.floor(random.next() ** 2 * WORDS.length)]).join(
      " ",
    );
  const trace = createWriteStream(join(folder, "trace.jsonl"));
  const sft = createWriteStream(join(folder, "sft.jsonl"));
  const counters: Record<string, number> = {
    calls: 0,
    revised: 0,
    "no-change": 0,
    inputTokens: 0,
    outputTokens: 0,
    cost: 0,
  };
  const usage = { inputTokens: 200, outputTokens: 80, cachedTokens: 0 };
  const common = {
    model: "bench",
    finishReason: "stop",
    usage,
    latencyMs: 1,
    retries: 0,
    cached: false,
  };
  for (let i = 0; i < items; i++) {
    const item = `item-${i}`;
    const prompt = [{ role: "user", content: `Question ${i}: ${text(12)}?` }];
    let reply = text(60);
    const lines: string[] = [
      JSON.stringify({
        item,
        event: "call",
        round: 0,
        purpose: "reply",
        request: { messages: prompt, params: {} },
        reply,
        ...common,
      }),
    ];
    for (let round = 1; round <= rounds; round++) {
      const principle = PRINCIPLES[Math.floor(random.next() * PRINCIPLES.length)] as string;
      counters[`principle:${principle}`] = (counters[`principle:${principle}`] ?? 0) + 1;
      const asked = [
        ...prompt,
        { role: "assistant", content: reply },
        { role: "user", content: `Critique request: ${principle}` },
      ];
      const noChange = random.next() < 0.3;
      const critique = noChange ? "NO_CHANGES" : `The reply should ${text(15)}.`;
      lines.push(
        JSON.stringify({
          item,
          event: "call",
          round,
          principle,
          purpose: "critique",
          request: { messages: asked, params: {} },
          reply: critique,
          ...common,
        }),
      );
      counters.calls = (counters.calls ?? 0) + 1;
      if (noChange) {
        lines.push(JSON.stringify({ item, event: "no-change", round, principle }));
        counters["no-change"] = (counters["no-change"] ?? 0) + 1;
        continue;
      }
      const words = reply.split(" ");
      const revision = [...words.slice(0, 20), ...text(10).split(" "), ...words.slice(25)].join(
        " ",
      );
      lines.push(
        JSON.stringify({
          item,
          event: "call",
          round,
          principle,
          purpose: "revision",
          request: {
            messages: [
              ...asked,
              { role: "assistant", content: critique },
              { role: "user", content: "Revision request" },
            ],
            params: {},
          },
          reply: revision,
          ...common,
        }),
      );
      counters.calls = (counters.calls ?? 0) + 1;
      counters.revised = (counters.revised ?? 0) + 1;
      reply = revision;
    }
    if (!trace.write(lines.join("\n") + "\n")) await once(trace, "drain");
    if (
      !sft.write(
        JSON.stringify({ id: item, messages: [...prompt, { role: "assistant", content: reply }] }) +
          "\n",
      )
    )
      await once(sft, "drain");
  }
  trace.end();
  sft.end();
  await Promise.all([once(trace, "finish"), once(sft, "finish")]);
  writeFileSync(
    join(folder, "manifest.json"),
    JSON.stringify({
      command: "revise",
      charterVersion: "0.1.0",
      seed: 1,
      outputFiles: ["sft.jsonl"],
      settings: { model: "bench:model", revisions: rounds },
      status: "complete",
    }),
  );
  writeFileSync(
    join(folder, "stats.json"),
    JSON.stringify({
      items,
      done: items,
      failed: 0,
      failures: [],
      counters,
      timing: { elapsedMs: 1000 },
    }),
  );
}
