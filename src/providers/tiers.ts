// Service tiers (`--tier standard|flex|batch`): which providers and endpoints take each, and how
// long a flex attempt may take. What each costs is prices.ts's TIER_PRICE_FACTOR.

import { UsageError } from "../errors.js";
import type { ServiceTier } from "./types.js";

/** Every tier, in the order `--help` lists them. */
export const SERVICE_TIERS: readonly ServiceTier[] = ["standard", "flex", "batch"];

/**
 * The per-attempt timeout of a flex call when none is given: flex requests queue on OpenAI's side
 * and OpenAI advises allowing up to 15 minutes.
 */
export const FLEX_TIMEOUT_MS = 15 * 60 * 1000;

/** A tier a model's provider or endpoint does not offer (exit code 2 at the command line). */
export class UnsupportedTierError extends UsageError {
  override readonly code = "unsupported-tier";
}

/** Where a model's calls would go, as far as choosing a tier cares. */
export interface TierTarget {
  /** `provider:model` as given, for messages. */
  readonly id: string;
  readonly provider: "openai" | "openai-completions" | "anthropic" | "offline";
  /** The provider's own API (no custom base URL, or one at the provider's host). */
  readonly official: boolean;
  /** The user allowed a tier at a custom base URL (a proxy that passes it on). */
  readonly anyEndpoint: boolean;
}

/**
 * Throws UnsupportedTierError, before any call, when `target` cannot be sent at `tier`. Flex is
 * OpenAI's alone (Chat Completions at api.openai.com); a custom base URL is refused unless the
 * user says it forwards `service_tier` (`tierAnyEndpoint`), since an OpenAI-compatible server
 * (vLLM, Ollama) would ignore it silently while Charter priced the run at half.
 */
export function checkTier(tier: ServiceTier, target: TierTarget): void {
  switch (tier) {
    case "standard":
      return;
    case "flex": {
      if (target.provider !== "openai")
        throw new UnsupportedTierError(
          `${target.id}: --tier flex is OpenAI's flex processing (Chat Completions); ${providerName(target.provider)} has no flex tier: use --tier standard${target.provider === "anthropic" ? " or batch" : ""}`,
        );
      if (!target.official && !target.anyEndpoint)
        throw new UnsupportedTierError(
          `${target.id}: --tier flex is sent only to OpenAI's own API, not to a custom --base-url (an OpenAI-compatible server would ignore service_tier while the run is priced at flex rates); if this endpoint is a proxy that forwards it to OpenAI, add --tier-any-endpoint`,
        );
      return;
    }
    case "batch":
      // Any endpoint: one without the batch endpoints fails loudly at the first upload, and a
      // custom endpoint has no list price to halve.
      if (target.provider !== "openai" && target.provider !== "anthropic")
        throw new UnsupportedTierError(
          `${target.id}: --tier batch uses OpenAI's Batch API (Chat Completions) or Anthropic's Message Batches; ${providerName(target.provider)} has none: use --tier standard`,
        );
      return;
  }
}

function providerName(provider: TierTarget["provider"]): string {
  switch (provider) {
    case "openai":
      return "OpenAI";
    case "openai-completions":
      return "the /v1/completions endpoint (openai-completions)";
    case "anthropic":
      return "Anthropic";
    case "offline":
      return "the offline model";
  }
}

/** `standard`, `flex` or `batch`; undefined for anything else. */
export function parseTier(text: string): ServiceTier | undefined {
  return SERVICE_TIERS.find((tier) => tier === text);
}
