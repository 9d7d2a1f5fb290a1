// The `yaml` package, loaded on first use: ~30 ms of every start-up that compiled a .charter
// constitution, which never needs it. Under Node it is CommonJS (the same module `import` gives),
// so `require` loads it synchronously where the readers need it. Types come from `import type`.

import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Scalar, YAMLMap, YAMLSeq } from "yaml";

let loaded: typeof Yaml | undefined;

/** The package, loaded the first time a YAML or JSON document is read or written. */
export function yamlPackage(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
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
