// Copies the TextMate grammar and the language configuration from the repository's grammars/ (the
// one source, tested there) into this extension's syntaxes/, since an extension may only name files
// inside its own folder. Runs on `npm install` (prepare); an argument names another target folder.

import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(here, "../../../grammars");
const target = resolve(process.argv[2] ?? join(here, "../syntaxes"));

/** The files copied, as named in grammars/ and in this extension's package.json. */
export const GRAMMAR_FILES = ["charter.tmLanguage.json", "language-configuration.json"];

mkdirSync(target, { recursive: true });
for (const name of GRAMMAR_FILES) copyFileSync(join(source, name), join(target, name));
console.log(`copied ${GRAMMAR_FILES.join(", ")} from ${source} to ${target}`);
