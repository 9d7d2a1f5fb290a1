// Shared test scaffolding: hand-built constitutions and an in-process ChatModel for unit tests
// of the pure modules (end-to-end tests use the real SDKs against the local server instead).
import type {
  CompiledConstitution,
  CompiledPrinciple,
  CompiledRule,
  Expr,
} from "../../src/dsl/index.js";
import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  TokenLogprob,
} from "../../src/providers/index.js";
import type { MethodSettings } from "../../src/phase2-preference/methods.js";

const at = { file: "test.charter", line: 1, column: 1 };

export function principle(
  id: string,
  fields: Partial<Omit<CompiledPrinciple, "id" | "location">> = {},
): CompiledPrinciple {
  return {
    id,
    weight: 1,
    tags: [],
    compare: [`Which reply is better by ${id}?`],
    examples: [],
    location: at,
    ...fields,
  };
}

export function rule(id: string, checks: CompiledRule["checks"]): CompiledRule {
  return { id, stage: "pair", checks, location: at };
}

export function constitution(
  fields: Partial<Omit<CompiledConstitution, "schema">> = {},
): CompiledConstitution {
  return {
    schema: "charter/1",
    name: "test",
    version: "1.0.0",
    hash: "sha256:0",
    file: "test.charter",
    imports: [],
    defaults: {},
    principles: [principle("helpful")],
    rules: [],
    rubrics: [],
    templates: {},
    ...fields,
  };
}

/** Regex test of `response`. */
export const matchesResponse = (source: string, flags = ""): Expr => ({
  kind: "binary",
  op: "matches",
  left: { kind: "field", name: "response" },
  right: { kind: "regex", source, flags },
});

export interface FakeModel extends ChatModel {
  readonly requests: ChatRequest[];
}

/** An in-process model answering with `answer(request)`: text and optional logprobs. */
export function fakeModel(
  answer: (request: ChatRequest) => { text: string; logprobs?: TokenLogprob[] },
  capabilities: Partial<ChatModel["capabilities"]> = {},
  id = "fake:judge",
): FakeModel {
  const requests: ChatRequest[] = [];
  return {
    id,
    requests,
    capabilities: { logprobs: true, maxTopLogprobs: 20, assistantPrefill: false, ...capabilities },
    complete(request): Promise<ChatResponse> {
      requests.push(request);
      const { text, logprobs } = answer(request);
      return Promise.resolve({
        text,
        ...(logprobs === undefined ? {} : { logprobs }),
        usage: { inputTokens: 10, outputTokens: 1, cachedTokens: 0 },
        model: id,
        cached: false,
        latencyMs: 0,
        retries: 0,
      });
    },
  };
}

/** The user-visible text of a judge request. */
export const requestText = (request: ChatRequest): string =>
  request.messages.map((message) => message.content).join("\n");

/** Which reply text is shown as option (A) in a judge request. */
export function optionA(request: ChatRequest): string {
  const match = /\(A\) ([^\n]*)\n/.exec(requestText(request));
  return match?.[1] ?? "";
}

/** Top log-probabilities for one position: tokens with probabilities. */
export function topOf(entries: Record<string, number>): TokenLogprob[] {
  const top = Object.entries(entries).map(([token, probability]) => ({
    token,
    logprob: Math.log(probability),
  }));
  const best = top[0] ?? { token: "", logprob: 0 };
  return [{ token: best.token, logprob: best.logprob, top }];
}

/** Method settings for tests: logprobs, one sample, one parse retry, the paper's cot band. */
export const methodSettings = (fields: Partial<MethodSettings> = {}): MethodSettings => ({
  method: "logprobs",
  samples: 1,
  temperature: 1,
  topLogprobs: 20,
  parseRetries: 1,
  cotMaxTokens: 256,
  cotClamp: [0.4, 0.6],
  ...fields,
});
