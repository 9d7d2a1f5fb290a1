// Compile speed: a 3,000-principle constitution through `compileSource`, against `yaml` parsing the
// same content written as YAML, in one process. The language's promise is a ratio below 1; issue
// 15's bar is 5× faster than YAML (a ratio of 0.2 or less), printed beside it. Rows below the two
// show where compile time goes: the clean parser alone (what compileSource runs for this file),
// the chevrotain path alone (what a file with errors, or an editor's CST, costs) and the hash.

import YAML from "yaml";
import { contentHash } from "../src/constitution/content-hash.js";
import { compileSource } from "../src/dsl/index.js";
import { parseWithChevrotain } from "../src/dsl/syntax/chevrotain-path.js";
import { parseClean } from "../src/dsl/syntax/clean-parser.js";
import { seededRandom } from "../src/runtime/index.js";
import { median } from "./stats.js";

export const description = "compileSource on 3,000 principles vs YAML.parse of the same content";

const PRINCIPLES = 3_000;
const WARMUP = 5;
const ITERATIONS = 15;
/** Issue 15: compiling should be at least 5× faster than parsing the same content as YAML. */
const FAST_BAR = 0.2;

interface ExampleData {
  prompt: string;
  response: string;
  critique: string;
  revision: string;
}

interface PrincipleData {
  id: string;
  weight: number;
  tags: string[];
  when?: string;
  critique: string;
  revise: string;
  compare: string[];
  examples: ExampleData[];
}

const TOPICS = [
  "harm",
  "honesty",
  "privacy",
  "fairness",
  "care",
  "helpful",
  "tone",
  "legal",
  "finance",
  "style",
];
const TAGS = [
  "safety",
  "honesty",
  "privacy",
  "bias",
  "medical",
  "legal",
  "finance",
  "style",
  "tone",
  "clarity",
];
const WHENS = [
  "response matches /\\b(definitely|guaranteed|always)\\b/i",
  'words(response) > 150 and not ("draft" in tags)',
  'prompt contains "password" or prompt matches /\\b(address|phone)\\b/i',
  "lines(response) >= 8",
];
const SENTENCES = [
  "Point out each passage of the assistant's last reply that could mislead or hurt someone, and quote it.",
  "Say who could be affected and how, and separate real risks from unlikely ones.",
  "Note where the reply claims more certainty than the evidence allows.",
  "Mention anything the user needed that the reply left out.",
  "Rewrite the reply so that none of the problems in the critique remain.",
  "Keep every part of the reply that genuinely helped, in the same order.",
  "Use plain words, and explain any term the reader has to keep.",
];

/** Realistic principles: multi-line critique and revise, 1-2 compare, tags, weights, some `when` and examples. */
function generatePrinciples(count: number): PrincipleData[] {
  const random = seededRandom(1, "compile-bench");
  const sentences = (n: number): string => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(SENTENCES[random.int(SENTENCES.length)] ?? "");
    return lines.join("\n");
  };
  const principles: PrincipleData[] = [];
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[i % TOPICS.length] ?? "harm";
    const principle: PrincipleData = {
      id: `${topic}.p${i}`,
      weight: 1 + random.int(4) / 2,
      tags: [
        TAGS[random.int(TAGS.length)] ?? "safety",
        TAGS[random.int(TAGS.length)] ?? "tone",
      ].filter((tag, k, all) => all.indexOf(tag) === k),
      critique: sentences(2 + random.int(3)),
      revise: sentences(2 + random.int(2)),
      compare: [`Which reply is better on ${topic} (principle ${i})?`],
      examples: [],
    };
    if (random.int(2) === 0)
      principle.compare.push(`Which reply would a careful reviewer prefer for ${topic}?`);
    if (random.int(4) === 0) principle.when = WHENS[random.int(WHENS.length)] ?? "";
    if (random.int(5) === 0) {
      principle.examples.push({
        prompt: "Will this stock go up next week?",
        response: "Definitely, it always rises in spring.",
        critique: "It promises an outcome nobody can know.",
        revision: "Nobody can know that; here is how to think about the risk.",
      });
    }
    principles.push(principle);
  }
  return principles;
}

function block(text: string, indent: string): string {
  return `"""\n${text
    .split("\n")
    .map((line) => indent + "  " + line)
    .join("\n")}\n${indent}"""`;
}

function toCharter(principles: readonly PrincipleData[]): string {
  const out: string[] = [
    'charter "bench" version "1.0.0"',
    "",
    'about "A generated constitution for the compile benchmark."',
    "",
    "defaults {\n  revisions 3\n  judge-principles 2\n  both-orders true\n}",
    "",
  ];
  for (const p of principles) {
    out.push(`principle ${p.id} weight ${p.weight} tags ${p.tags.join(", ")} {`);
    if (p.when !== undefined) out.push(`  when ${p.when}`);
    out.push(`  critique ${block(p.critique, "  ")}`);
    out.push(`  revise ${block(p.revise, "  ")}`);
    for (const question of p.compare) out.push(`  compare ${JSON.stringify(question)}`);
    for (const example of p.examples) {
      out.push("  example {");
      for (const [key, value] of Object.entries(example))
        out.push(`    ${key} ${JSON.stringify(value)}`);
      out.push("  }");
    }
    out.push("}", "");
  }
  return out.join("\n");
}

function toYaml(principles: readonly PrincipleData[]): string {
  return YAML.stringify({
    charter: "bench",
    version: "1.0.0",
    about: "A generated constitution for the compile benchmark.",
    defaults: { revisions: 3, "judge-principles": 2, "both-orders": true },
    principles,
  });
}

/** Wall and CPU milliseconds of one call (CPU time is less moved by other processes' load). */
function time(action: () => unknown): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  action();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** The generated constitution as .charter text and as YAML (also used when profiling, and by lsp.bench). */
export function benchSources(count = PRINCIPLES): { charterText: string; yamlText: string } {
  const principles = generatePrinciples(count);
  return { charterText: toCharter(principles), yamlText: toYaml(principles) };
}

export async function run(): Promise<void> {
  const { charterText, yamlText } = benchSources();

  const first = compileSource(charterText, { filename: "bench.charter" });
  const errors = first.diagnostics.filter((entry) => entry.severity === "error");
  if (errors.length > 0 || first.constitution === undefined) {
    console.error(
      `the generated constitution does not compile: ${errors.length} errors, first: ${errors[0]?.message ?? "none"}`,
    );
    process.exitCode = 1;
    return;
  }
  if (first.constitution.principles.length !== PRINCIPLES) {
    console.error(
      `expected ${PRINCIPLES} principles, compiled ${first.constitution.principles.length}`,
    );
    process.exitCode = 1;
    return;
  }

  const compile = (): unknown => compileSource(charterText, { filename: "bench.charter" });
  const parseYaml = (): unknown => YAML.parse(yamlText);
  const { hash: _hash, ...body } = first.constitution;
  const rows = [
    { name: "compileSource(.charter)", action: compile },
    { name: "YAML.parse(.yaml)", action: parseYaml },
    { name: "  clean parser alone", action: () => parseClean(charterText, "bench.charter") },
    {
      name: "  chevrotain path alone",
      action: () => parseWithChevrotain(charterText, "bench.charter"),
    },
    { name: "  content hash alone", action: () => contentHash(body) },
  ];
  const times = rows.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  // The compile/YAML pair first, interleaved so drift in machine load touches both alike; then the
  // breakdown rows, so their garbage does not land in the pair's collections.
  for (const [from, to] of [
    [0, 2],
    [2, rows.length],
  ] as const) {
    for (let i = 0; i < WARMUP; i++) for (const row of rows.slice(from, to)) row.action();
    for (let i = 0; i < ITERATIONS; i++) {
      for (let index = from; index < to; index++) {
        const { wall, cpu } = time((rows[index] as (typeof rows)[number]).action);
        times[index]?.wall.push(wall);
        times[index]?.cpu.push(cpu);
      }
    }
  }
  const [compileTimes, yamlTimes] = [times[0]?.wall ?? [], times[1]?.wall ?? []];

  // Memory, cheaply: the size of what compiling produces, and the process's peak resident set.
  const compiledJsonBytes = JSON.stringify(first.constitution).length;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const compileMedian = median(compileTimes);
  const yamlMedian = median(yamlTimes);
  const ratio = compileMedian / yamlMedian;
  const cpuRatio = median(times[0]?.cpu ?? []) / median(times[1]?.cpu ?? []);
  // Each iteration's pair ran back to back, so its ratio is the least touched by load elsewhere.
  const pairedRatio = median(compileTimes.map((time, i) => time / (yamlTimes[i] ?? Number.NaN)));
  const kb = (chars: number): string => `${(chars / 1024).toFixed(0)} KB`;
  console.log(
    `input: ${PRINCIPLES} principles; .charter ${kb(charterText.length)}, YAML ${kb(yamlText.length)}`,
  );
  console.log(`${ITERATIONS} interleaved iterations after ${WARMUP} warm-up rounds each\n`);
  console.log("| what                    | median ms | min ms | max ms | median CPU ms |");
  console.log("| ----------------------- | --------- | ------ | ------ | ------------- |");
  rows.forEach((row, index) => {
    const { wall, cpu } = times[index] ?? { wall: [], cpu: [] };
    const cell = (value: number, width: number): string => value.toFixed(1).padStart(width);
    console.log(
      `| ${row.name.padEnd(23)} | ${cell(median(wall), 9)} | ${cell(Math.min(...wall), 6)} | ${cell(Math.max(...wall), 6)} | ${cell(median(cpu), 13)} |`,
    );
  });
  console.log(
    `\nratio compile / yaml: ${ratio.toFixed(2)} of medians (${ratio < 1 ? "ok, below 1" : "NOT below 1"}); median of paired ratios ${pairedRatio.toFixed(2)}; of CPU medians ${cpuRatio.toFixed(2)}`,
  );
  const verdict = (value: number): string => (value <= FAST_BAR ? "met" : "NOT met");
  console.log(
    `compile is ${(1 / ratio).toFixed(1)}× faster than YAML.parse by wall medians (${(1 / cpuRatio).toFixed(1)}× by CPU medians, less moved by other processes' load); issue 15's bar of 5× (ratio ≤ ${FAST_BAR}): ${verdict(ratio)} by wall, ${verdict(cpuRatio)} by CPU`,
  );
  console.log(
    "compileSource reads this file by the clean parser (src/dsl/syntax/clean-parser.ts); a file with errors takes the chevrotain path",
  );
  console.log(
    `compiled constitution as JSON: ${kb(compiledJsonBytes)}; peak RSS of this process: ${peakRssMb.toFixed(0)} MB`,
  );
  if (ratio >= 1) process.exitCode = 1;
}
