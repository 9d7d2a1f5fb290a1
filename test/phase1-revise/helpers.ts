// Hand-built constitutions and a scripted in-process ChatModel for Phase 1 unit tests.
import type {
  CompiledConstitution,
  CompiledPrinciple,
  CompiledRule,
  Expr,
} from "../../src/dsl/index.js";
import type { ChatModel, ChatRequest, ChatResponse } from "../../src/providers/index.js";

const here = { file: "test.charter", line: 1, column: 1 };

export function principle(
  id: string,
  extra: Partial<Omit<CompiledPrinciple, "id" | "location">> = {},
): CompiledPrinciple {
  return {
    id,
    weight: 1,
    tags: [],
    critique: `Critique for ${id}.`,
    revise: `Revise for ${id}.`,
    compare: [],
    examples: [],
    location: here,
    ...extra,
  };
}

export function requireRule(
  id: string,
  stage: CompiledRule["stage"],
  expr: Expr,
  kind: "require" | "flag" = "require",
): CompiledRule {
  return { id, stage, checks: [{ kind, expr, source: JSON.stringify(expr) }], location: here };
}

export function constitution(
  principles: readonly CompiledPrinciple[],
  extra: Partial<CompiledConstitution> = {},
): CompiledConstitution {
  return {
    schema: "charter/1",
    name: "test",
    version: "1.0.0",
    hash: "sha256:test",
    file: "test.charter",
    imports: [],
    defaults: {},
    principles,
    rules: [],
    rubrics: [],
    templates: {},
    ...extra,
  };
}

/** A ChatModel answering from a function of the request; records every request. */
export function scriptedModel(answer: (request: ChatRequest) => string | Error): ChatModel & {
  requests: ChatRequest[];
} {
  const requests: ChatRequest[] = [];
  return {
    id: "test:scripted",
    capabilities: { logprobs: false, maxTopLogprobs: 0, assistantPrefill: false },
    requests,
    complete(request: ChatRequest): Promise<ChatResponse> {
      requests.push(request);
      const text = answer(request);
      if (text instanceof Error) return Promise.reject(text);
      return Promise.resolve({
        text,
        usage: { inputTokens: 10, outputTokens: 5, cachedTokens: 0 },
        model: "scripted-1",
        cached: false,
        latencyMs: 1,
        retries: 0,
      });
    },
  };
}

/** `field matches /source/` */
export function matches(
  field: "prompt" | "response" | "revision" | "critique",
  source: string,
): Expr {
  return {
    kind: "binary",
    op: "matches",
    left: { kind: "field", name: field },
    right: { kind: "regex", source, flags: "i" },
  };
}
