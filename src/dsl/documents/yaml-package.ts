// The `yaml` package, loaded on first use: ~30 ms of every start-up that compiled a .charter
// constitution, which never needs it. Under Node it is CommonJS (the same module `import` gives),
// so `require` loads it synchronously where the readers need it. Types come from `import type`.
// The bundled `charter` command loads a one-file build of it instead (~7 ms against ~28 ms).

import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Scalar, YAMLMap, YAMLSeq } from "yaml";

/**
 * Defined by scripts/bundle-cli.ts in the bundled `charter` command: its one-file CommonJS build of
 * `yaml`, beside the chunk this module is bundled into. Anywhere else it is not defined.
 */
declare const CHARTER_YAML_FILE: string | undefined;

let loaded: typeof Yaml | undefined;

/** The package, loaded the first time a YAML or JSON document (or config file) is read or written. */
export function yamlPackage(): typeof Yaml {
  const module = typeof CHARTER_YAML_FILE === "string" ? CHARTER_YAML_FILE : "yaml";
  return (loaded ??= createRequire(import.meta.url)(module) as typeof Yaml);
}

export function isMap(node: unknown): node is YAMLMap {
  return yamlPackage().isMap(node);
}

export function isSeq(node: unknown): node is YAMLSeq {
  return yamlPackage().isSeq(node);
}

export function isScalar(node: unknown): node is Scalar {
  return yamlPackage().isScalar(node);
}
