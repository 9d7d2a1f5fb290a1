// The constitution's content hash: sha256 over a canonical JSON (sorted keys) of everything but
// source locations and file paths, so .charter, YAML and JSON spellings hash the same.

import { canonicalJson, canonicalValue } from "../io/canonical-json.js";
import { sha256Hex } from "../io/stable-id.js";
import type { CompiledConstitution, CompiledExample, CompiledPrinciple } from "./compiled.js";

/** Keys that say where something was written, not what it is. */
const POSITIONAL = new Set(["location", "file", "imports", "hash"]);

/** `sha256:` + hex of the canonical content. */
export function contentHash(constitution: Omit<CompiledConstitution, "hash">): string {
  const text = hashInput(constitution) ?? canonicalJson(constitution, POSITIONAL);
  return `sha256:${sha256Hex(text)}`;
}

// The canonical JSON is the hash's definition; what follows only writes the same bytes faster
// for the shape the compiler makes. Principles are most of a constitution: each is rebuilt with
// its keys already in canonical (sorted) order and the lot printed by native JSON.stringify,
// instead of canonicalJson walking and copying every one. Anything of another shape (a key this
// code does not know) takes canonicalJson itself; test/constitution/content-hash.test.ts holds
// the two to the same bytes.

const TOP_LEVEL = [
  "about",
  "defaults",
  "fewShots",
  "name",
  "principles",
  "rules",
  "rubrics",
  "schema",
  "templates",
  "version",
].sort();
const KNOWN_TOP_LEVEL = new Set([...TOP_LEVEL, ...POSITIONAL]);
const PRINCIPLE_KEYS = new Set<string>([
  "id",
  "weight",
  "tags",
  "critique",
  "revise",
  "compare",
  "when",
  "whenSource",
  "examples",
  "location",
]);
const EXAMPLE_KEYS = new Set<string>(["prompt", "response", "critique", "revision", "location"]);

/** canonicalJson(constitution, POSITIONAL), or undefined when it is not the usual shape. */
function hashInput(constitution: Omit<CompiledConstitution, "hash">): string | undefined {
  for (const key in constitution) if (!KNOWN_TOP_LEVEL.has(key)) return undefined;
  const principles: unknown[] = [];
  for (const principle of constitution.principles) {
    const canonical = canonicalPrinciple(principle);
    if (canonical === undefined) return undefined;
    principles.push(canonical);
  }
  const members: string[] = [];
  const values = constitution as unknown as Record<string, unknown>;
  for (const key of TOP_LEVEL) {
    const value = values[key];
    if (value === undefined) continue;
    const json =
      key === "principles" ? JSON.stringify(principles) : canonicalJson(value, POSITIONAL);
    members.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${members.join(",")}}`;
}

/** A principle with its keys in sorted order (undefined members print nothing), no location. */
function canonicalPrinciple(principle: CompiledPrinciple): object | undefined {
  for (const key in principle) if (!PRINCIPLE_KEYS.has(key)) return undefined;
  const examples: object[] = [];
  for (const example of principle.examples) {
    const canonical = canonicalExample(example);
    if (canonical === undefined) return undefined;
    examples.push(canonical);
  }
  const { id, weight, critique, revise, whenSource } = principle;
  if (typeof id !== "string" || typeof weight !== "number") return undefined;
  if (!textOrAbsent(critique) || !textOrAbsent(revise) || !textOrAbsent(whenSource))
    return undefined;
  const compare = canonicalValue(principle.compare);
  const tags = canonicalValue(principle.tags);
  const when = principle.when === undefined ? undefined : canonicalValue(principle.when);
  if (compare === undefined || tags === undefined) return undefined;
  if (principle.when !== undefined && when === undefined) return undefined;
  return { compare, critique, examples, id, revise, tags, weight, when, whenSource };
}

function textOrAbsent(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function canonicalExample(example: CompiledExample): object | undefined {
  for (const key in example) if (!EXAMPLE_KEYS.has(key)) return undefined;
  if (typeof example.prompt !== "string" || typeof example.response !== "string") return undefined;
  if (!textOrAbsent(example.critique) || !textOrAbsent(example.revision)) return undefined;
  return {
    critique: example.critique,
    prompt: example.prompt,
    response: example.response,
    revision: example.revision,
  };
}
