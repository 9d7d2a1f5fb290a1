// `charter lsp`: the language server for editors, speaking LSP over stdin/stdout.

import { StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { UsageError } from "../../errors.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter lsp [--stdio]

Runs the Charter language server on stdin/stdout (the only transport; --stdio is accepted because
editors pass it). Editors start it themselves: see editors/vscode/ for VS Code. It reports
problems as you type (.charter, YAML and JSON constitutions, across imports), and offers hover,
go to definition, references, completion (import paths included), links on import paths,
formatting, the outline, workspace symbols, rename, quick fixes, and import paths rewritten when
files move.
`;

// Editors' clients add these; the process id is not needed (the server ends when stdin closes).
const FLAGS = { stdio: { type: "boolean" }, clientProcessId: { type: "string" } } as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    if (parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    }
    // Editors need tokens and CSTs (chevrotain's) from the first keystroke.
    const [{ startServer }] = await Promise.all([
      import("../../lsp/index.js"),
      import("../../dsl/syntax/chevrotain-slot.js").then((slot) => slot.loadChevrotainPath()),
    ]);
    await startServer(
      new StreamMessageReader(process.stdin),
      new StreamMessageWriter(process.stdout),
      io.signal,
    );
    // Stopped by a signal or `exit` while the editor's end of stdin is still open: stop reading it,
    // or the open pipe keeps the process alive.
    process.stdin.destroy();
    return 0;
  },
};

export default command;
