// Input files named on the command line are checked before anything is created: a missing one is
// named with the flag it came from and, when the folder holds a near name, that name is offered.

import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { nearMiss } from "../did-you-mean.js";
import { UsageError } from "../errors.js";
import { PACKAGE_ROOT } from "../package-root.js";

/** A near name in the same folder as `path` (as the user would type it), if one exists. */
function nearName(path: string, absolute: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dirname(absolute));
  } catch {
    return undefined;
  }
  // Names with the same extension are compared without it, so `pairs.jsonl` is not offered for
  // `prompts.jsonl` on the strength of a shared `.jsonl`; then whole names (a mistyped extension).
  const name = basename(absolute);
  const extension = extname(name);
  const stems = new Map(
    entries
      .filter((entry) => extension !== "" && extname(entry) === extension)
      .map((entry) => [entry.slice(0, -extension.length), entry] as const),
  );
  const stem = nearMiss(name.slice(0, name.length - extension.length), stems.keys());
  const others = entries.filter((entry) => extname(entry) !== extension);
  const near = stem === undefined ? nearMiss(name, others) : stems.get(stem);
  return near === undefined ? undefined : join(dirname(path), near);
}

/**
 * Throws a UsageError (exit 2) unless `path` (relative to `cwd`) is a readable file. `what` names
 * what it was for, usually its flag (`--prompts`). Returns the absolute path.
 *
 * @example
 * checkInputFile("--prompts", "nope.jsonl", cwd); // --prompts file not found: nope.jsonl (did you mean prompts.jsonl?)
 */
export function checkInputFile(what: string, path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  let problem: string;
  try {
    if (statSync(absolute).isDirectory()) {
      problem = `${what} names a folder, not a file: ${path}`;
    } else {
      accessSync(absolute, constants.R_OK);
      return absolute;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const shipped = /constitution/.test(what) ? shippedConstitutions() : [];
      const near = nearName(path, absolute) ?? nearMiss(path, shipped);
      problem =
        `${what} file not found: ${path}${near === undefined ? "" : ` (did you mean ${near}?)`}` +
        (near === undefined && shipped.length > 0
          ? `\nshipped constitutions, usable by name from any folder: ${shipped.join(", ")}`
          : "");
    } else {
      const reason = code === "EACCES" || code === "EPERM" ? "permission denied" : String(code);
      problem = `${what} file cannot be read: ${path} (${reason})`;
    }
  }
  throw new UsageError(problem);
}

/** The constitutions that ship with Charter (found beside dist/ and src/, wherever it is installed). */
const SHIPPED = new URL("constitutions/", PACKAGE_ROOT);

/** Names of the shipped constitutions (`harmless`, ...), for messages. */
export function shippedConstitutions(): string[] {
  try {
    return readdirSync(SHIPPED)
      .filter((entry) => entry.endsWith(".charter"))
      .map((entry) => entry.slice(0, -".charter".length))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Where a `--constitution` (or `charter check FILE`) is: the file itself when it exists, else a
 * bare name of a shipped one (`harmless`) from any working directory, else the name unchanged
 * (for checkInputFile to report).
 *
 * @example
 * constitutionPath("harmless", "/tmp"); // .../node_modules/charter/constitutions/harmless.charter
 */
export function constitutionPath(file: string, cwd: string): string {
  if (!/^[\w.-]+$/.test(file) || statIsFile(resolve(cwd, file))) return file;
  const name = file.replace(/\.charter$/, "");
  const shipped = new URL(`${name}.charter`, SHIPPED);
  return statIsFile(shipped) ? shipped.pathname : file;
}

function statIsFile(path: string | URL): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
