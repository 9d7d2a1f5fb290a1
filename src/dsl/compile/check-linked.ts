// State `compiled`, first step (check the merged constitution): what only shows once imports are resolved, because
// the pieces involved may live in different files (a library's template, the entry's defaults).

import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { Exports } from "./link.js";

/** The `defaults` key that sets (or, as "", turns off) the no-change marker. */
const MARKER_KEY = "no-change-marker";

/** Checks over what the entry file exports after linking. */
export function checkLinked(exports: Exports): Diagnostic[] {
  return [...markerNotAsked(exports)];
}

/**
 * A custom critique request that never mentions `{{no_change_marker}}` while the skip is on: no
 * model is told what to answer when nothing needs changing, so the skip never happens and every
 * round pays for a revision. (Writing the marker's text by hand would go stale when
 * `--no-change-marker` changes it, so only the variable counts.)
 */
function markerNotAsked(exports: Exports): Diagnostic[] {
  const template = exports.templates.get("critique-request");
  if (template === undefined || template.value.variables.includes("no_change_marker")) return [];
  if (exports.defaults[MARKER_KEY] === "") return [];
  return [
    diagnostic(
      "no-change-marker-unused",
      'template `critique-request` never uses `{{no_change_marker}}`: no model is told the marker, so no critique can skip a needless revision (add it, or set `no-change-marker ""` in `defaults` to turn the skip off)',
      { file: template.file, ...template.range },
    ),
  ];
}
