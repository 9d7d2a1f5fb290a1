// `npm run grammar`: regenerates grammars/syntax-diagrams.html and grammars/grammar.snapshot.json
// from the parser. Run it whenever src/dsl/syntax/parser.ts changes (a test fails until you do).

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { grammarFiles } from "./grammar-files.js";

const grammarsDir = fileURLToPath(new URL("../grammars/", import.meta.url));

for (const [name, content] of Object.entries(grammarFiles())) {
  const path = `${grammarsDir}${name}`;
  // JSON goes through prettier so `npm run lint` accepts the generated file as written.
  const text = name.endsWith(".json")
    ? await format(content, { ...(await resolveConfig(path)), filepath: path })
    : content;
  writeFileSync(path, text);
  console.log(`wrote grammars/${name}`);
}
