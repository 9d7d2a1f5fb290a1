// The last step of compiling an entry: its merged exports assembled into the compiled
// constitution, with the content hash over everything but the hash itself.

import type { CompiledUnit } from "./compile-unit.js";
import { COMPILED_SCHEMA, type CompiledConstitution } from "../../constitution/compiled.js";
import { contentHash } from "../../constitution/content-hash.js";
import type { Exports } from "./link.js";

/** The constitution `file` compiles to, from its header and its linked exports. */
export function assembleConstitution(
  file: string,
  unit: CompiledUnit,
  header: NonNullable<CompiledUnit["header"]>,
  exports: Exports,
): CompiledConstitution {
  const body: Omit<CompiledConstitution, "hash"> = {
    schema: COMPILED_SCHEMA,
    name: header.name,
    version: header.version,
    ...(unit.about !== undefined ? { about: unit.about } : {}),
    file,
    imports: exports.files,
    defaults: exports.defaults,
    principles: [...exports.principles.values()].map((item) => item.value),
    rules: [...exports.rules.values()].map((item) => item.value),
    rubrics: [...exports.rubrics.values()].map((item) => item.value),
    templates: Object.fromEntries(
      [...exports.templates.values()].map((item) => [item.value.name, item.value]),
    ),
    // Only when present, so constitutions without few-shot sets keep their hash.
    ...(exports.fewShots.size > 0
      ? { fewShots: [...exports.fewShots.values()].map((item) => item.value) }
      : {}),
  };
  const { schema, name, version, ...rest } = body;
  return { schema, name, version, hash: contentHash(body), ...rest };
}
