// `charter trace RUN ID [--json]`: one item's model calls as they were sent (messages, settings,
// model, reply, usage), read from the run's trace.jsonl in whatever mode it was written.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CharterError, UsageError } from "../../errors.js";
import { readItemTrace } from "../../io/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter trace RUN ID [--json]

Prints every model call of item ID in the run folder RUN as it was sent: where it belongs (round,
principle, pair, judge...), the model that answered, the settings, each message
in full, the reply, its finish reason, tokens, latency, retries and whether it came from the cache;
then the item's other events (rule decisions, skipped rounds). Reads full and compact traces
alike; a run made with --trace off has no calls to show.

  --json   the item's events, expanded, one JSON object per line
`;

type Json = Readonly<Record<string, unknown>>;

/** Fields every call event has, shown in their own lines rather than in the "where" line. */
const CALL_FIELDS = new Set([
  "item",
  "event",
  "request",
  "reply",
  "model",
  "finishReason",
  "truncated",
  "usage",
  "latencyMs",
  "retries",
  "cached",
  "error",
]);

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, { json: { type: "boolean" } }, HELP, io);
    if (parsed === undefined) return 0;
    const [folder, id, ...extra] = parsed.positionals;
    if (folder === undefined || id === undefined)
      throw new UsageError(`name a run folder and an item id\n\n${HELP}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'\n\n${HELP}`);
    const dir = resolve(io.cwd, folder);
    const file = join(dir, "trace.jsonl");
    if (!existsSync(file))
      throw new CharterError("trace-missing", `${folder} has no trace.jsonl (is it a run folder?)`);
    const events = await readItemTrace(file, id);
    const mode = traceModeOf(dir);
    if (events.length === 0)
      throw new CharterError(
        "unknown-item",
        `no item '${id}' in ${join(folder, "trace.jsonl")}${mode === "off" ? " (the run was made with --trace off: only items with rule decisions or skipped rounds have events)" : ""}`,
      );
    if (parsed.values.json === true) {
      io.stdout.write(events.map((event) => `${JSON.stringify(event)}\n`).join(""));
      return 0;
    }
    io.stdout.write(itemText(id, events, mode));
    return 0;
  },
};

export default command;

/** The run's trace mode from its manifest's settings (absent in runs older than --trace). */
function traceModeOf(dir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
      settings?: { trace?: unknown };
    };
    return typeof manifest.settings?.trace === "string" ? manifest.settings.trace : undefined;
  } catch {
    return undefined;
  }
}

function itemText(id: string, events: readonly Json[], mode: string | undefined): string {
  const calls = events.filter((event) => event.event === "call" || event.event === "call-failed");
  const lines = [
    `${id}: ${calls.length} call${calls.length === 1 ? "" : "s"}, ${events.length - calls.length} other event${events.length - calls.length === 1 ? "" : "s"}${mode === undefined ? "" : ` (trace ${mode})`}`,
  ];
  if (calls.length === 0 && mode === "off")
    lines.push("this run was made with --trace off: its calls were not recorded");
  let number = 0;
  for (const event of events) {
    lines.push("");
    if (event.event === "call" || event.event === "call-failed")
      lines.push(...callText((number += 1), event));
    else lines.push(`── ${String(event.event)}${where(event)}`, ...rest(event));
  }
  return `${lines.join("\n")}\n`;
}

function callText(number: number, event: Json): string[] {
  const failed = event.event === "call-failed";
  const request = isObject(event.request) ? event.request : {};
  const params = isObject(request.params) ? request.params : {};
  const usage = isObject(event.usage) ? event.usage : undefined;
  const head = [
    `── call ${number}${where(event)}`,
    failed ? " · FAILED" : "",
    typeof event.model === "string" ? ` · answered by ${event.model}` : "",
  ].join("");
  const lines = [head];
  const settings = Object.entries(params).map(
    ([name, value]) => `${name} ${JSON.stringify(value)}`,
  );
  lines.push(`settings: ${settings.length > 0 ? settings.join(", ") : "(the model's defaults)"}`);
  for (const message of Array.isArray(request.messages) ? request.messages : []) {
    const { role, content, ...other } = isObject(message)
      ? message
      : { role: "?", content: message };
    const extra = Object.keys(other).length > 0 ? ` ${JSON.stringify(other)}` : "";
    lines.push(`[${String(role)}]${extra}`, indent(text(content)));
  }
  if (failed) {
    const error = isObject(event.error) ? event.error : {};
    lines.push(`error: ${String(error.code ?? "error")}: ${String(error.message ?? "")}`);
    return lines;
  }
  const finish =
    typeof event.finishReason === "string"
      ? ` (${event.finishReason}${event.truncated === true ? ", cut by the token limit" : ""})`
      : "";
  lines.push(`[reply]${finish}`, indent(text(event.reply)));
  const facts = [
    usage === undefined ? undefined : usageText(usage),
    typeof event.latencyMs === "number" ? `${event.latencyMs} ms` : undefined,
    typeof event.retries === "number" && event.retries > 0 ? `${event.retries} retries` : undefined,
    event.cached === true ? "from the response cache" : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  if (facts.length > 0) lines.push(facts.join(" · "));
  return lines;
}

function usageText(usage: Json): string {
  const parts = Object.entries(usage)
    .filter(([, value]) => typeof value === "number")
    .map(([name, value]) => `${name} ${String(value)}`);
  return `tokens: ${parts.join(", ")}`;
}

/** ` · round 1 · critique · principle honesty` from the event's place fields. */
function where(event: Json): string {
  const place = Object.entries(event)
    .filter(
      ([name, value]) =>
        !CALL_FIELDS.has(name) && (typeof value === "string" || typeof value === "number"),
    )
    .map(([name, value]) => (name === "purpose" ? String(value) : `${name} ${String(value)}`));
  return place.length > 0 ? ` · ${place.join(" · ")}` : "";
}

/** A non-call event's structured fields (lists, objects), one per line. */
function rest(event: Json): string[] {
  return Object.entries(event)
    .filter(
      ([name, value]) => !CALL_FIELDS.has(name) && typeof value === "object" && value !== null,
    )
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
}

const text = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value);
const indent = (value: string): string =>
  value
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);
