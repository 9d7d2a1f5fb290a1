// A worker thread of `inspect`: takes blocks of a JSONL file (whole lines), parses and measures
// their rows (RowPass) and sends back each block's Batch, then, when the pass ends, its counts.

import { parentPort } from "node:worker_threads";
import { BufferPool, batchBuffers } from "./inspect-batch.js";
import { RowPass, measureBlock } from "./inspect-rows.js";
import type { WorkerReply, WorkerRequest } from "./inspect-pool.js";

const port = parentPort;
if (port === null) throw new Error("inspect-worker runs as a worker thread");

let pass: RowPass | undefined;
let skipInvalid = false;
let file = "";
/** The buffers of this worker's batches, given back by the main thread once read. */
const pool = new BufferPool();

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on("message", (request: WorkerRequest) => {
  switch (request.type) {
    case "start":
      skipInvalid = request.skipInvalid;
      file = request.file;
      pass = new RowPass(request.settings);
      return;
    case "block": {
      const bytes = Buffer.from(request.buffer, 0, request.length);
      const finished = measureBlock(pass!, file, skipInvalid, bytes, request.firstLine, pool);
      reply({ type: "batch", batch: finished, buffer: request.buffer }, [
        ...batchBuffers(finished),
        request.buffer,
      ]);
      return;
    }
    case "recycle":
      for (const buffer of request.buffers) pool.give(buffer);
      return;
    case "finish":
      reply({ type: "partial", partial: pass!.partial() });
      pass = undefined;
      return;
  }
});
