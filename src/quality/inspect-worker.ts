// A worker thread of `inspect`: takes blocks of a JSONL file (whole lines), parses and measures
// their rows (RowPass) and sends back each block's Batch, then, when the pass ends, its counts.

import { parentPort } from "node:worker_threads";
import { readBlockRows } from "./block-rows.js";
import { BatchBuilder, batchBuffers } from "./inspect-batch.js";
import { RowPass, type RowPassSettings } from "./inspect-rows.js";
import type { WorkerReply, WorkerRequest } from "./inspect-pool.js";

const port = parentPort;
if (port === null) throw new Error("inspect-worker runs as a worker thread");

let pass: RowPass | undefined;
let settings: RowPassSettings | undefined;
let skipInvalid = false;
let file = "";

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on("message", (request: WorkerRequest) => {
  switch (request.type) {
    case "start":
      settings = request.settings;
      skipInvalid = request.skipInvalid;
      file = request.file;
      pass = new RowPass(settings);
      return;
    case "block": {
      const rows = pass!;
      const batch = new BatchBuilder(rows.signatureSize);
      const bytes = Buffer.from(request.buffer, 0, request.length);
      readBlockRows(bytes, request.firstLine, settings!.format, {
        row: (row, start, end) => rows.add(row, batch, start, end),
        invalid: (kind, line, message) => {
          if (!skipInvalid) {
            batch.fail({ kind, line, message });
            return false;
          }
          batch.addInvalid({ file, line, message });
          return true;
        },
      });
      const finished = batch.finish();
      reply({ type: "batch", batch: finished, buffer: request.buffer }, [
        ...batchBuffers(finished),
        request.buffer,
      ]);
      return;
    }
    case "finish":
      reply({ type: "partial", partial: pass!.partial() });
      pass = undefined;
      return;
  }
});
