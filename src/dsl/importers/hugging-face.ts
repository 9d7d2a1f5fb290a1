// `charter import hf`: the Hugging Face CAI constitution.json (llm-swarm's format) as .charter.
//
// Shape: `{"constitutions": [{"critic", "revision"}], "system_chat": [[{"role", "content"}...]]}`,
// or the older bare list of `{"critic", "revision"}`. Each entry becomes a principle `hf.pNN` with
// critique and revise; no compare question is invented (the file has none). A `system_chat`
// conversation is the few-shot demonstration llm-swarm prepends: user prompt, assistant reply,
// user critique request, assistant critique, user revision request, assistant revision. It becomes
// an `example` of the principle whose critique request it asks.

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
import type { ImportDiagnostic, ImportOptions, ImportResult } from "./types.js";
import {
  nameFromFile,
  writeCharter,
  type ImportedExample,
  type ImportedPrinciple,
} from "./write-charter.js";

const ENTRY_FIELDS = ["critic", "revision"] as const;
const TOP_FIELDS = ["constitutions", "system_chat"] as const;
const MESSAGE_FIELDS = ["role", "content"] as const;
/** user, assistant, user (critique request), assistant, user (revision request), assistant. */
const ROLES = ["user", "assistant", "user", "assistant", "user", "assistant"] as const;

interface Entry {
  /** Position in the file's list: ids follow it, so skipping a bad entry renames no other. */
  readonly index: number;
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

  const list = entriesValue as unknown[];
  const entries = readEntries(source, list, entriesPath, diagnostics);
  const width = Math.max(2, String(list.length).length);
  const examples = entries.map((): ImportedExample[] => []);
  let exampleCount = 0;
  if (chats !== undefined) {
    for (const found of readExamples(source, chats, entries, diagnostics)) {
      examples[found.entry]?.push(found.example);
      exampleCount++;
    }
  }
  const principles: ImportedPrinciple[] = entries.map((entry, index) => ({
    id: `hf.p${String(entry.index + 1).padStart(width, "0")}`,
    critique: entry.critic,
    revise: entry.revision,
    examples: examples[index] ?? [],
  }));
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const output = writeCharter({
    comments: [
      `Imported by \`charter import hf\` from ${options.file}.`,
      "Hugging Face CAI principles have no compare question: add `compare` for Phase 2.",
    ],
    name: options.name ?? nameFromFile(options.file),
    version: options.version ?? "0.1.0",
    about: `Imported from the Hugging Face CAI constitution ${options.file}: ${count(principles.length, "principle")}, ${count(exampleCount, "example")}.`,
    principles,
  });
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
    entries.push({ index, critic: item.critic as string, revision: item.revision as string });
  });
  return entries;
}

function* readExamples(
  source: JsonSource,
  chats: unknown,
  entries: readonly Entry[],
  diagnostics: ImportDiagnostic[],
): Generator<{ entry: number; example: ImportedExample }> {
  const path: JsonPath = ["system_chat"];
  if (!Array.isArray(chats)) {
    diagnostics.push(
      importDiagnostic(
        "invalid-shape",
        "system_chat should be a list of conversations; not imported",
        source.locate(path),
      ),
    );
    return;
  }
  const byCritique = new Map(entries.map((entry, index) => [entry.critic.trim(), index]));
  for (const [index, chat] of chats.entries()) {
    const at = [...path, index];
    const turns = readTurns(source, chat, at, diagnostics);
    if (turns === undefined) continue;
    const [prompt, response, critiqueRequest, critique, revisionRequest, revision] = turns;
    const entry = byCritique.get(critiqueRequest.trim());
    if (entry === undefined || entries[entry]?.revision.trim() !== revisionRequest.trim()) {
      diagnostics.push(
        importDiagnostic(
          "unmatched-example",
          `${formatPath(at)} asks a critique or revision that is no principle's (turns 3 and 5 must be one entry's "critic" and "revision"); not imported`,
          source.locate(at),
        ),
      );
      continue;
    }
    yield { entry, example: { prompt, response, critique, revision } };
  }
}

type Turns = readonly [string, string, string, string, string, string];

/** The six turns of one demonstration, or undefined (with a diagnostic) if it has another shape. */
function readTurns(
  source: JsonSource,
  chat: unknown,
  at: JsonPath,
  diagnostics: ImportDiagnostic[],
): Turns | undefined {
  const shape = (message: string) => {
    diagnostics.push(importDiagnostic("unmatched-example", message, source.locate(at)));
    return undefined;
  };
  if (!Array.isArray(chat))
    return shape(`${formatPath(at)} should be a list of messages; not imported`);
  if (chat.length !== ROLES.length) {
    return shape(
      `${formatPath(at)} has ${chat.length} messages; an example needs exactly 6 (prompt, reply, critique request, critique, revision request, revision); not imported`,
    );
  }
  const contents: string[] = [];
  for (const [turn, message] of chat.entries()) {
    const messagePath = [...at, turn];
    if (!isObject(message) || typeof message.content !== "string") {
      return shape(`${formatPath(messagePath)} should be {"role", "content"}; not imported`);
    }
    diagnostics.push(...reportUnknownFields(source, message, messagePath, MESSAGE_FIELDS));
    if (message.role !== ROLES[turn]) {
      return shape(
        `${formatPath(messagePath)} has role ${JSON.stringify(message.role)} where "${ROLES[turn]}" belongs; not imported`,
      );
    }
    contents.push(message.content);
  }
  return contents as unknown as Turns;
}
