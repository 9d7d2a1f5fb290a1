// Language server speed: a keystroke in a 200-principle file until the server publishes fresh
// diagnostics for that version, driven over stdio by the real LSP client library against `charter
// lsp` in a child process (debounce off, so the time is the server's work plus the protocol). The
// floor, in this process: the compiler workspace recompiling the same edited text.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { CompilerWorkspace } from "../src/dsl/index.js";
import { benchSources } from "./compile.bench.js";
import { median } from "./stats.js";

export const description =
  "charter lsp: a keystroke in a 200-principle file -> fresh diagnostics (median; target <= 20 ms)";

const PRINCIPLES = 200;
const WARMUP = 10;
const KEYSTROKES = 60;
const TARGET_MS = 20;

const root = fileURLToPath(new URL("..", import.meta.url));

const quantile = (values: readonly number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ??
  0;

/** The i-th keystroke: type `x` at the start of a principle's critique text, or take it out again. */
function keystroke(text: string, i: number): { offset: number; insert: boolean } {
  const anchors = [...text.matchAll(/critique (?:"""\n\s*|")/g)].map(
    (match) => (match.index ?? 0) + match[0].length,
  );
  const anchor = anchors[Math.floor(i / 2) % anchors.length] ?? 0;
  return { offset: anchor, insert: i % 2 === 0 };
}

export async function run(): Promise<void> {
  const { charterText } = benchSources(PRINCIPLES);
  const folder = mkdtempSync(join(tmpdir(), "charter-lsp-bench-"));
  const path = join(folder, "bench.charter");
  writeFileSync(join(folder, "package.json"), "{}\n");
  writeFileSync(path, charterText);
  const uri = pathToFileURL(path).href;

  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "src/cli/main.ts"), "lsp", "--stdio"],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map<number, (diagnostics: number) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === uri && params.version !== undefined) {
      waiting.get(params.version)?.(params.diagnostics.length);
    }
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: "bench" }],
    capabilities: {},
    initializationOptions: { debounceMs: 0 },
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const published = (version: number): Promise<number> =>
    new Promise((resolve) => waiting.set(version, resolve));
  let version = 1;
  const opened = published(version);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "charter", version, text: charterText },
  });
  const firstCount = await opened;

  let text = charterText;
  const times: number[] = [];
  let problems = 0;
  for (let i = 0; i < WARMUP + KEYSTROKES; i++) {
    const { offset, insert } = keystroke(text, i);
    const lines = text.slice(0, offset).split("\n");
    const position = { line: lines.length - 1, character: (lines[lines.length - 1] ?? "").length };
    const end = insert ? position : { ...position, character: position.character + 1 };
    text = insert
      ? `${text.slice(0, offset)}x${text.slice(offset)}`
      : `${text.slice(0, offset)}${text.slice(offset + 1)}`;
    version++;
    const fresh = published(version);
    const start = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: position, end }, text: insert ? "x" : "" }],
    });
    problems += await fresh;
    if (i >= WARMUP) times.push(performance.now() - start);
  }

  // The floor: the compiler workspace recompiling the edited text, in this process.
  const workspace = new CompilerWorkspace({ cwd: folder });
  const floor: number[] = [];
  for (let i = 0; i < WARMUP + KEYSTROKES; i++) {
    const { offset } = keystroke(text, 0);
    const edited = i % 2 === 0 ? `${text.slice(0, offset)}x${text.slice(offset)}` : text;
    const start = performance.now();
    workspace.update(path, edited);
    workspace.compile(path);
    if (i >= WARMUP) floor.push(performance.now() - start);
  }

  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
  rmSync(folder, { recursive: true, force: true });

  const keystrokeMedian = median(times);
  console.log(
    `input: ${PRINCIPLES} principles (${(charterText.length / 1024).toFixed(0)} KB .charter), ${KEYSTROKES} keystrokes after ${WARMUP} warm-up; diagnostics on open: ${firstCount}, after keystrokes: ${problems}\n`,
  );
  console.log("| what                                    | median ms | p90 ms | max ms |");
  console.log("| --------------------------------------- | --------- | ------ | ------ |");
  for (const [name, values] of [
    ["keystroke -> publishDiagnostics (stdio)", times],
    ["floor: workspace update + compile", floor],
  ] as const) {
    console.log(
      `| ${name.padEnd(39)} | ${median(values).toFixed(1).padStart(9)} | ${quantile(values, 0.9)
        .toFixed(1)
        .padStart(6)} | ${Math.max(...values)
        .toFixed(1)
        .padStart(6)} |`,
    );
  }
  const ratio = keystrokeMedian / median(floor);
  const verdict = keystrokeMedian <= TARGET_MS ? "ok" : "NOT";
  console.log(
    `\nkeystroke median ${keystrokeMedian.toFixed(1)} ms: ${verdict} within ${TARGET_MS} ms; ${ratio.toFixed(2)}x the in-process recompile`,
  );
  if (keystrokeMedian > TARGET_MS || problems > 0) process.exitCode = 1;
}
