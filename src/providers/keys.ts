// API keys and endpoint settings from the environment, or a `.env` file in the working directory.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Reads `KEY=VALUE` lines (optional `export`, quotes, `#` comments). Missing file: empty. */
export function readDotEnv(cwd: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, name = "", rest = ""] = match;
    let value = rest.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2)
      value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, "");
    values[name] = value;
  }
  return values;
}

/** A setting from the environment first, then `.env`; empty strings count as unset. */
export function lookupSetting(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  dotEnv: () => Readonly<Record<string, string>>,
): string | undefined {
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const fromFile = dotEnv()[name];
  return fromFile === undefined || fromFile === "" ? undefined : fromFile;
}

/** Replaces every occurrence of each secret (longer than 3 characters) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 3) out = out.split(secret).join("[redacted]");
  return out;
}
