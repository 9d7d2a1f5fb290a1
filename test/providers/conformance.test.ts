// Runs the shared conformance cases for every provider: openai, openai-completions and anthropic
// through their real SDKs against the local model server, and offline:rehearsal.
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { conformanceCases } from "./conformance.js";

const server = useModelServer();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

conformanceCases({
  name: "openai:gpt-test",
  options: () => ({ baseUrl: server.openaiBaseUrl, apiKey: "test-key", env: {} }),
  server: () => server,
  systemOf: (body) => {
    const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
    const first: unknown = messages[0];
    return isRecord(first) && first.role === "system" ? String(first.content) : undefined;
  },
});

conformanceCases({
  name: "openai-completions:base-test",
  options: () => ({ baseUrl: server.openaiBaseUrl, apiKey: "test-key", env: {} }),
  server: () => server,
  // The system text opens the transcript prompt, before the first human turn.
  systemOf: (body) =>
    isRecord(body) && typeof body.prompt === "string"
      ? body.prompt.split("\n\nHuman:")[0]
      : undefined,
});

conformanceCases({
  name: "anthropic:claude-test",
  options: () => ({ baseUrl: server.anthropicBaseUrl, apiKey: "test-key", env: {} }),
  server: () => server,
  systemOf: (body) => {
    if (!isRecord(body)) return undefined;
    const roles = Array.isArray(body.messages)
      ? body.messages.map((m: unknown) => isRecord(m) && m.role)
      : [];
    if (roles.includes("system")) return "system message left in messages";
    // The system text may come as blocks (marked for the prompt cache).
    return Array.isArray(body.system)
      ? body.system.map((block: unknown) => (isRecord(block) ? String(block.text) : "")).join("")
      : String(body.system);
  },
});

conformanceCases({
  name: "offline:rehearsal",
  options: () => ({ env: {} }),
  server: () => undefined,
});
