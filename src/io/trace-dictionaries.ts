// The preset deflate dictionaries of packed trace lines, one per format: fixed for ever once
// released (a copy of the wording they hold, not an import), since every packed line needs its own.

/**
 * Preset deflate dictionary of format 1: the wording of Charter's default prompts (as of format 1;
 * a copy, not an import, since the dictionary must never change) and the JSON skeleton of its
 * call events, so even a small item's first event compresses. Never change it without bumping
 * PACK_FORMAT (and keeping this one for reading old traces).
 */
export const PACK_DICTIONARY_1 = Buffer.from(
  [
    "Consider the following conversation between a human and an assistant:\n\nHuman: ",
    "\n\nAssistant: \n\nOptions:\n(A) \n(B) The answer is: (",
    "\n\nIf the reply needs no change under this request, answer exactly NO_CHANGES and nothing else.",
    "\n\nAnswer with the rewritten reply only.Critique request: Revision request: ",
    '{"event":"no-change","round":1,"principle":"","event":"rule","event":"judge-question",',
    '"answers":[{"sampleIndex":0,"answer":"A","top":[{"token":"A","logprob":-0.',
    '{"event":"call-failed","error":{"code":"server-error","message":""},',
    '"params":{"temperature":0,"maxTokens":3,"logprobs":true,"topLogprobs":20}},',
    '"pair":"","judge":"","order":"first-as-a","order":"first-as-b","purpose":"judge",',
    '{"event":"call","round":0,"purpose":"reply","request":{"messages":[{"role":"system","content":""},',
    '{"role":"user","content":""},{"role":"assistant","content":{"ref":0}}],',
    '"params":{"temperature":0.7,"seed":}},"reply":"","model":"","finishReason":"stop",',
    '"usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false}',
    '{"event":"call","round":1,"principle":"","purpose":"critique","request":{"messages":[{"role":"user","content":{"ref":0}},',
    '{"role":"assistant","content":{"ref":1}},{"role":"user","content":{"ref":2}}],',
    '{"event":"call","round":1,"principle":"","purpose":"revision","request":{"messages":[{"role":"user","content":{"ref":0}},',
  ].join(""),
  "utf8",
);

/**
 * Preset deflate dictionary of format 2: format 1's wording, then what the offline model
 * (`offline:NAME`, src/providers/offline-model.ts, as of format 2) writes around each reply, then
 * the JSON skeleton of one Phase 1 item (a reply and three critique/revision rounds, each request
 * with two few-shot exchanges before the conversation), texts and numbers left out. The nearer
 * the end, the cheaper a match: the skeleton, which every item repeats, comes last. Never change
 * it without bumping PACK_FORMAT (and keeping this one for reading old traces).
 */
export const PACK_DICTIONARY_2 = Buffer.concat([
  PACK_DICTIONARY_1,
  Buffer.from(
    [
      '[rehearsal] A careful, helpful answer to \\"',
      '\\". (ref ',
      "[rehearsal] Critique: the reply could state its limits more plainly and avoid overclaiming. (ref ",
      '[rehearsal] A revised answer that addresses the critique, for \\"',
      '[{"event":"call","round":0,"purpose":"reply","request":{"messages":[{"role":"user","content":""}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":1,"principle":"","purpose":"critique","request":{"messages":[{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":1}},{"role":"user","content":{"ref":4}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":1,"principle":"","purpose":"revision","request":{"messages":[{"role":"user","content":{"ref":2}},{"role":"assistant","content":{"ref":3}},{"role":"user","content":{"ref":4}},{"role":"assistant","content":{"ref":5}},{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":1}},{"role":"user","content":{"ref":4}},{"role":"assistant","content":{"ref":6}},{"role":"user","content":{"ref":7}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":2,"principle":"","purpose":"critique","request":{"messages":[{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":9}},{"role":"user","content":{"ref":12}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":2,"principle":"","purpose":"revision","request":{"messages":[{"role":"user","content":{"ref":10}},{"role":"assistant","content":{"ref":11}},{"role":"user","content":{"ref":12}},{"role":"assistant","content":{"ref":13}},{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":9}},{"role":"user","content":{"ref":12}},{"role":"assistant","content":{"ref":14}},{"role":"user","content":{"ref":15}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":3,"principle":"","purpose":"critique","request":{"messages":[{"role":"user","content":{"ref":10}},{"role":"assistant","content":{"ref":11}},{"role":"user","content":{"ref":12}},{"role":"assistant","content":{"ref":13}},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":17}},{"role":"user","content":{"ref":12}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false},',
      '{"event":"call","round":3,"principle":"","purpose":"revision","request":{"messages":[{"role":"user","content":{"ref":10}},{"role":"assistant","content":{"ref":11}},{"role":"user","content":{"ref":12}},{"role":"assistant","content":{"ref":13}},{"role":"user","content":{"ref":15}},{"role":"assistant","content":{"ref":16}},{"role":"user","content":{"ref":0}},{"role":"assistant","content":{"ref":17}},{"role":"user","content":{"ref":12}},{"role":"assistant","content":{"ref":18}},{"role":"user","content":{"ref":15}}],"params":{"temperature":0.7,"seed":}},"reply":"","model":"rehearsal","finishReason":"stop","usage":{"inputTokens":,"outputTokens":,"cachedTokens":0},"latencyMs":0,"retries":0,"cached":false}]',
    ].join(""),
    "utf8",
  ),
]);
