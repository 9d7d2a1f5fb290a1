// chevrotain's runtime, loaded from the one-file ES module build its package ships
// (lib/chevrotain.mjs) instead of its package entry, which imports lodash-es as ~640 separate
// modules: ~400 ms of every start-up that compiled a constitution, against ~20 ms for the bundle.
// Types still come from the package entry (`import type ... from "chevrotain"`).

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type * as Chevrotain from "chevrotain";

/** The bundle sits next to the package entry's folder: lib/src/api.js → lib/chevrotain.mjs. */
export const CHEVROTAIN_BUNDLE = new URL(
  "../chevrotain.mjs",
  pathToFileURL(createRequire(import.meta.url).resolve("chevrotain")),
).href;

const chevrotain = (await import(CHEVROTAIN_BUNDLE)) as typeof Chevrotain;

export const { createToken, CstParser, EOF, Lexer } = chevrotain;
