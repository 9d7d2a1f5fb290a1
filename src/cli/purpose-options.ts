// Per-purpose sampling settings: each purpose (reply, critique, revision, judge, generate) has its
// own `<purpose>-temperature`, `<purpose>-max-tokens` and `<purpose>-system`, as flags, config keys
// and constitution `defaults`, so no setting leaks from one purpose into another.

import type { GenerationParams } from "../providers/index.js";
import type { RunSettings } from "./run-config.js";

export type Purpose = "reply" | "critique" | "revision" | "judge" | "generate";

/** What one purpose's calls are sent with: parameters, and a system message put first. */
export interface PurposeSettings {
  readonly params: Pick<GenerationParams, "temperature" | "maxTokens">;
  readonly system?: string;
}

/** node:util parseArgs options for the purposes' three flags each. */
export function purposeFlagOptions(
  purposes: readonly Purpose[],
): Record<string, { readonly type: "string" }> {
  const options: Record<string, { readonly type: "string" }> = {};
  for (const purpose of purposes)
    for (const key of ["temperature", "max-tokens", "system"])
      options[`${purpose}-${key}`] = { type: "string" };
  return options;
}

/** Config-file keys of the purposes' settings (the flag names). */
export function purposeConfigKeys(purposes: readonly Purpose[]): string[] {
  return Object.keys(purposeFlagOptions(purposes));
}

/** --help lines for the purposes' settings. */
export function purposeHelp(purposes: readonly Purpose[], fallback: string): string {
  return `  --PURPOSE-temperature T, --PURPOSE-max-tokens N, --PURPOSE-system TEXT
                        sampling temperature, token budget and system message of one purpose's
                        calls, PURPOSE one of ${purposes.join(", ")} (also config keys and
                        constitution defaults); ${fallback}`;
}

/**
 * One purpose's settings: its own keys, else `fallback` (revise's `--temperature` and
 * `--max-tokens` for all three of its purposes), else none (the provider's defaults).
 */
export function purposeSettings(
  settings: RunSettings,
  purpose: Purpose,
  fallback: PurposeSettings["params"] = {},
): PurposeSettings {
  const temperature =
    settings.number(`${purpose}-temperature`, undefined, { min: 0 }) ?? fallback.temperature;
  const maxTokens =
    settings.number(`${purpose}-max-tokens`, undefined, { integer: true, min: 1 }) ??
    fallback.maxTokens;
  const system = settings.string(`${purpose}-system`);
  return {
    params: {
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
    },
    ...(system === undefined || system === "" ? {} : { system }),
  };
}
