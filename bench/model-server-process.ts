// Runs the test model server in its own process for benchmarks, so the measured process's CPU is
// the client's alone. Prints `{"openai": URL, "anthropic": URL}` on one line, then serves until killed.
import { startModelServer } from "../test/fixtures/model-server.js";

const latencyMs = Number(process.argv[2] ?? "20");
const server = await startModelServer({ latencyMs });
process.stdout.write(
  `${JSON.stringify({ openai: server.openaiBaseUrl, anthropic: server.anthropicBaseUrl })}\n`,
);
