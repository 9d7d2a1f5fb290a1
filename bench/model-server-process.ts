// Runs the test model server in its own process for benchmarks, so the measured process's CPU is
// the client's alone. `model-server-process.ts LATENCY_MS [judge]`. In judge mode, each request
// that asks for log-probabilities gets "A"/"B" top tokens (favouring the option that says "good"),
// so a logprobs judging run parses every answer; in score mode, "Yes"/"No" top tokens (favouring
// yes for replies that say "careful"); otherwise the server echoes.
// Prints `{"openai": URL, "anthropic": URL}` on one line, then serves until killed.
import { startModelServer, type ScriptedReply } from "../test/fixtures/model-server.js";

const latencyMs = Number(process.argv[2] ?? "20");
const mode = process.argv[3] ?? "echo";

function judgeReply(body: { messages?: { content?: unknown }[]; logprobs?: boolean }) {
  if (body.logprobs !== true) return undefined;
  const text = String(body.messages?.at(-1)?.content ?? "");
  const optionA = /\(A\) ([^\n]*)/.exec(text)?.[1] ?? "";
  const pA = optionA.includes("good") ? 0.8 : 0.2;
  const top = [
    { token: pA >= 0.5 ? "A" : "B", logprob: Math.log(Math.max(pA, 1 - pA)) },
    { token: pA >= 0.5 ? "B" : "A", logprob: Math.log(Math.min(pA, 1 - pA)) },
  ];
  return { text: top[0]!.token, tokens: [{ ...top[0]!, top }] } satisfies ScriptedReply;
}

function scoreReply(body: { messages?: { content?: unknown }[]; logprobs?: boolean }) {
  if (body.logprobs !== true) return undefined;
  const text = String(body.messages?.at(-1)?.content ?? "");
  const pYes = /Assistant: [^\n]*careful/.test(text) ? 0.85 : 0.25;
  const top = [
    { token: pYes >= 0.5 ? "Yes" : "No", logprob: Math.log(Math.max(pYes, 1 - pYes)) },
    { token: pYes >= 0.5 ? "No" : "Yes", logprob: Math.log(Math.min(pYes, 1 - pYes)) },
  ];
  return { text: top[0]!.token, tokens: [{ ...top[0]!, top }] } satisfies ScriptedReply;
}

type Body = Parameters<typeof judgeReply>[0];
const server = await startModelServer({
  latencyMs,
  ...(mode === "judge"
    ? { handler: (request) => judgeReply(request.body as Body) }
    : mode === "score"
      ? { handler: (request) => scoreReply(request.body as Body) }
      : {}),
});
process.stdout.write(
  `${JSON.stringify({ openai: server.openaiBaseUrl, anthropic: server.anthropicBaseUrl })}\n`,
);
