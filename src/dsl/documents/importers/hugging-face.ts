// `charter import hf`: the Hugging Face CAI constitution.json (llm-swarm's format) as .charter,
// with the recipe's semantics.
//
// Shape: `{"constitutions": [{"critic", "revision"}], "system_chat": [[{"role", "content"}...]]}`,
// or the older bare list of `{"critic", "revision"}`. Each entry becomes a principle with
// critique and revise, its id derived from the critique text; no compare question is invented
// (the file has none). llm-swarm flattens every `system_chat` conversation into one message list
// and sends it before every call (first reply, critique, revision), whatever principle was drawn;
// so the conversations become one few-shot set `on response, critique, revision`, each kept whole
// (its last four messages as the critique request, critique, revision request and revision when
// it has them), and the requests are sent as written (`{{principle.critique}}` templates), one
// round per prompt, no no-change skip, as the recipe does.

import {
  formatPath,
  importDiagnostic,
  isObject,
  readJsonSource,
  reportMissingText,
  sortImportDiagnostics,
  reportUnknownFields,
  type JsonPath,
  type JsonSource,
} from "./json-source.js";
import { readableId, uniqueId } from "./readable-ids.js";
import type { ImportDiagnostic, ImportOptions, ImportResult } from "./types.js";
import {
  nameFromFile,
  writeCharter,
  type ImportedFewShotSet,
  type ImportedPrinciple,
} from "../../print/write-charter.js";

const ENTRY_FIELDS = ["critic", "revision"] as const;
const TOP_FIELDS = ["constitutions", "system_chat"] as const;
const MESSAGE_FIELDS = ["role", "content"] as const;
/** The last four messages of a worked conversation, as few-shot fields. */
const STEPS = ["critique-request", "critique", "revision-request", "revision"] as const;

interface Entry {
  readonly critic: string;
  readonly revision: string;
}

/**
 * Converts a Hugging Face CAI `constitution.json` to .charter source.
 *
 * @example importHuggingFace(readFileSync("constitution.json", "utf8"), { file: "constitution.json" })
 */
export function importHuggingFace(text: string, options: ImportOptions): ImportResult {
  const { source, diagnostics } = readJsonSource(text, options.file);
  if (source === undefined) return { text: "", diagnostics };
  const root = source.value;
  let entriesValue: unknown;
  let entriesPath: JsonPath;
  let chats: unknown;
  if (Array.isArray(root)) {
    entriesValue = root;
    entriesPath = [];
  } else if (isObject(root) && Array.isArray(root.constitutions)) {
    diagnostics.push(...reportUnknownFields(source, root, [], TOP_FIELDS));
    entriesValue = root.constitutions;
    entriesPath = ["constitutions"];
    chats = root.system_chat;
  } else {
    diagnostics.push(
      importDiagnostic(
        "invalid-shape",
        'expected a Hugging Face CAI constitution: {"constitutions": [{"critic", "revision"}...], "system_chat": [...]} or a list of {"critic", "revision"}',
        source.locate([]),
      ),
    );
    return { text: "", diagnostics };
  }

  const entries = readEntries(source, entriesValue as unknown[], entriesPath, diagnostics);
  const used = new Set<string>();
  const principles: ImportedPrinciple[] = entries.map((entry, index) => ({
    id: uniqueId(readableId(entry.critic, `principle-${index + 1}`), used),
    critique: entry.critic,
    revise: entry.revision,
  }));
  const examples = chats === undefined ? [] : readExamples(source, chats, diagnostics);
  const fewShots: ImportedFewShotSet[] =
    examples.length === 0
      ? []
      : [
          {
            id: uniqueId("system-chat", used),
            comment: "system_chat: llm-swarm sends every turn before every call, in this order.",
            stages: ["response", "critique", "revision"],
            examples,
          },
        ];
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const output = writeCharter({
    comments: [
      `Imported by \`charter import hf\` from ${options.file}.`,
      "As llm-swarm runs it: one critique/revision round, requests sent as written, every",
      "system_chat turn before every call. Write the SFT data with --format hf-cai.",
      "Hugging Face CAI principles have no compare question: add `compare` for Phase 2.",
    ],
    name: options.name ?? nameFromFile(options.file),
    version: options.version ?? "0.1.0",
    about: `Imported from the Hugging Face CAI constitution ${options.file}: ${count(principles.length, "principle")}, ${count(examples.length, "system_chat conversation")}.`,
    defaults: [
      ["revisions", 1],
      ["sampling", "with-replacement"],
      ["no-change-marker", ""],
    ],
    principles,
    fewShots,
    templates: [
      ["critique-request", "{{principle.critique}}"],
      ["revision-request", "{{principle.revise}}"],
    ],
  });
  if (principles.length > 0) diagnostics.push(noCompareNote(source, principles.length));
  return { text: output, diagnostics: sortImportDiagnostics(diagnostics) };
}

function readEntries(
  source: JsonSource,
  list: readonly unknown[],
  path: JsonPath,
  diagnostics: ImportDiagnostic[],
): Entry[] {
  const entries: Entry[] = [];
  list.forEach((item, index) => {
    const at = [...path, index];
    if (!isObject(item)) {
      diagnostics.push(
        importDiagnostic(
          "invalid-shape",
          `${formatPath(at) || `entry ${index}`} should be an object with "critic" and "revision"; skipped`,
          source.locate(at),
        ),
      );
      return;
    }
    diagnostics.push(...reportUnknownFields(source, item, at, ENTRY_FIELDS));
    const missing = reportMissingText(source, item, at, ENTRY_FIELDS);
    if (missing !== undefined) {
      diagnostics.push(missing);
      return;
    }
    entries.push({ critic: item.critic as string, revision: item.revision as string });
  });
  return entries;
}

/** Every conversation of `system_chat` that Charter can carry, as few-shot fields. */
function readExamples(
  source: JsonSource,
  chats: unknown,
  diagnostics: ImportDiagnostic[],
): (readonly (readonly [string, string])[])[] {
  const path: JsonPath = ["system_chat"];
  if (!Array.isArray(chats)) {
    diagnostics.push(
      importDiagnostic(
        "invalid-shape",
        "system_chat should be a list of conversations; not imported",
        source.locate(path),
      ),
    );
    return [];
  }
  const examples: (readonly (readonly [string, string])[])[] = [];
  for (const [index, chat] of chats.entries()) {
    const fields = readConversation(source, chat, [...path, index], diagnostics);
    if (fields !== undefined) examples.push(fields);
  }
  return examples;
}

/**
 * One conversation as few-shot fields: user/assistant turns, the last four being the critique
 * request, critique, revision request and revision when there are at least six (an even number);
 * undefined, with a diagnostic, for a shape a few-shot example cannot hold.
 */
function readConversation(
  source: JsonSource,
  chat: unknown,
  at: JsonPath,
  diagnostics: ImportDiagnostic[],
): (readonly [string, string])[] | undefined {
  const refuse = (where: JsonPath, message: string) => {
    diagnostics.push(importDiagnostic("unmatched-example", message, source.locate(where)));
    return undefined;
  };
  if (!Array.isArray(chat) || chat.length === 0)
    return refuse(at, `${formatPath(at)} should be a non-empty list of messages; not imported`);
  const turns: (readonly [string, string])[] = [];
  for (const [turn, message] of chat.entries()) {
    const messagePath = [...at, turn];
    if (!isObject(message) || typeof message.content !== "string") {
      return refuse(
        messagePath,
        `${formatPath(messagePath)} should be {"role", "content"}; not imported`,
      );
    }
    diagnostics.push(...reportUnknownFields(source, message, messagePath, MESSAGE_FIELDS));
    const expected = turn % 2 === 0 ? "user" : "assistant";
    if (message.role !== expected) {
      return refuse(
        [...messagePath, "role"],
        `${formatPath(messagePath)} has role ${JSON.stringify(message.role)} where "${expected}" belongs (a few-shot conversation alternates user and assistant, user first); ${formatPath(at)} not imported`,
      );
    }
    turns.push([expected, message.content]);
  }
  if (turns.length < 6 || turns.length % 2 !== 0) return turns;
  const steps = turns
    .slice(-STEPS.length)
    .map(([, content], step): readonly [string, string] => [STEPS[step] as string, content]);
  return [...turns.slice(0, -STEPS.length), ...steps];
}

/** One note for the whole file: Phase 2 needs questions the format does not have. */
function noCompareNote(source: JsonSource, principles: number): ImportDiagnostic {
  return importDiagnostic(
    "no-compare",
    `${principles === 1 ? "the principle has" : `none of the ${principles} principles has`} a \`compare\` question (the format has none): Phase 1 can use the constitution, Phase 2 (charter judge) cannot until you add some`,
    source.locate([]),
  );
}
