// The rows of a JSONL file shared among worker threads and the main thread: the main thread reads
// the file in blocks of whole lines (counting lines, so each block knows its first line's number),
// hands each block to the least busy worker without copying it (or, when every worker has enough
// ahead of it, measures the block itself), and reads the batches back in file order for the
// order-dependent half of the pass; the workers' counts are merged at the end. Whatever the number
// of workers, the result is the one a single thread gets.

import { open, type FileHandle } from "node:fs/promises";
import { CharterError } from "../errors.js";
import { FileReadError } from "../io/index.js";
import { blockLineText } from "./block-rows.js";
import { BufferPool, SET_FIRST, SET_REJECTED, batchBuffers, type Batch } from "./inspect-batch.js";
import type { OrderedPass } from "./inspect-order.js";
import { InspectPool, type PoolWorker, type WorkerReply } from "./inspect-pool.js";
import { measureBlock, type RowPass, type RowPassSettings } from "./inspect-rows.js";
import { readRow, type DatasetRow } from "../datasets/index.js";

/** A worker thread failed while reading a file: the pass can be run again in one thread. */
export class WorkerFailedError extends CharterError {
  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      "inspect-worker-failed",
      `${file}: a worker thread failed while reading it (${reason}); run again with --workers 0 to read it in one thread`,
      { cause },
    );
  }
}

/** Bytes of file per block by default (a block is cut at the last newline within it). */
export const BLOCK_BYTES = 1 << 20;
/** Blocks handed out and not yet read back, per worker (bounds memory and keeps workers busy). */
const BLOCKS_AHEAD = 2;

/** A reply's text by set (the reply taught, the rejected one, the first reply). */
export function setText(row: DatasetRow, set: number): string {
  return set === SET_REJECTED
    ? (row.rejected ?? "")
    : set === SET_FIRST
      ? (row.firstReply ?? "")
      : row.reply;
}

/** A block being read: its buffer, the bytes carried into it from the last, and the read. */
interface BlockRead {
  readonly buffer: ArrayBuffer;
  readonly bytes: Buffer;
  readonly carried: number;
  readonly read: Promise<number>;
}

interface Block {
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly lines: number;
}

/**
 * The file in blocks of whole lines (the last may lack its newline), read into the buffers of
 * `spare` when one is large enough (blocks come back from the workers once read: reusing them
 * spares the garbage collector a megabyte of outside memory a block). Blocks are `blockBytes`
 * until the rest of the file is `tailBlocks` of them, then shrink with it (down to an eighth):
 * the threads then run out of work at about the same time, where a last full block would leave
 * one waiting for the other. The next block is read while the caller measures this one.
 */
async function* readBlocks(
  file: string,
  blockBytes: number,
  tailBlocks: number,
  spare: ArrayBuffer[],
): AsyncGenerator<Block> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new FileReadError(file, error);
  }
  const opened = handle;
  let next: BlockRead | undefined;
  try {
    let fileSize: number;
    try {
      fileSize = (await opened.stat()).size;
    } catch (error) {
      throw new FileReadError(file, error);
    }
    let position = 0;
    /** Starts reading the block after `carry` (the last block's unfinished line) at `position`. */
    const startRead = (carry: Buffer): BlockRead => {
      const share = Math.ceil((fileSize - position) / tailBlocks);
      const block = Math.min(blockBytes, Math.max(share, Math.ceil(blockBytes / 8)));
      // At least twice the carry: a line longer than a block costs linear time.
      const want = Math.max(block, carry.length);
      const size = carry.length + want;
      const reused = spare.pop();
      const buffer =
        reused !== undefined && reused.byteLength >= size ? reused : new ArrayBuffer(size);
      const bytes = Buffer.from(buffer);
      carry.copy(bytes, 0);
      const read = opened.read(bytes, carry.length, want, position).then(
        ({ bytesRead }) => bytesRead,
        (error: unknown) => {
          throw new FileReadError(file, error);
        },
      );
      // (Awaited below, or in `finally` if the reader stops first.)
      read.catch(() => undefined);
      return { buffer, bytes, carried: carry.length, read };
    };
    let reading = startRead(Buffer.alloc(0));
    next = reading;
    for (;;) {
      const { buffer, bytes, carried, read } = reading;
      const bytesRead = await read;
      next = undefined;
      position += bytesRead;
      const filled = carried + bytesRead;
      if (filled === 0) return;
      const end = bytesRead === 0 ? filled : bytes.lastIndexOf(10, filled - 1) + 1;
      if (end === 0) {
        reading = next = startRead(bytes.subarray(0, filled));
        continue;
      }
      const carry = Buffer.from(bytes.subarray(end, filled));
      const last = bytesRead === 0 && carry.length === 0;
      // The next block is read while this one is measured.
      if (!last) reading = next = startRead(carry);
      let lines = 0;
      for (let at = bytes.indexOf(10); at !== -1 && at < end; at = bytes.indexOf(10, at + 1))
        lines++;
      yield { buffer, length: end, lines };
      if (last) return;
    }
  } finally {
    await next?.read.catch(() => undefined);
    await opened.close();
  }
}

/** A block's batch on its way back: settled once its worker (or the main thread) is done. */
interface Pending {
  readonly reply: Promise<WorkerReply>;
  /** Who measured the block (to give its batch's buffers back to): a worker, or this thread. */
  readonly worker: PoolWorker | undefined;
  settled: boolean;
}

/**
 * One pass over `file` with `workers` threads beside this one: `rows` receives the counts of
 * every block measured (here, and merged from the workers) and `ordered` every batch in file
 * order. Throws what a single-threaded pass would.
 */
export async function parallelPass(
  file: string,
  settings: RowPassSettings,
  skipInvalid: boolean,
  workers: number,
  rows: RowPass,
  ordered: OrderedPass,
  blockBytes = BLOCK_BYTES,
): Promise<void> {
  const pool = InspectPool.acquire(workers);
  let finished = false;
  try {
    for (const worker of pool.workers) worker.send({ type: "start", settings, skipInvalid, file });
    const ahead: Pending[] = [];
    const spare: ArrayBuffer[] = [];
    const ownBuffers = new BufferPool();
    const consume = async (pending: Pending): Promise<void> => {
      const reply = await pending.reply;
      if (reply.type !== "batch") throw new Error("inspect worker: expected a batch");
      const batch: Batch = reply.batch;
      const bytes = Buffer.from(reply.buffer);
      ordered.consume(batch, (row, set) => {
        const line = batch.lines[row]!;
        const text = blockLineText(bytes, batch.starts[row]!, batch.ends[row]!, line);
        return setText(readRow(JSON.parse(text), settings, line).row, set);
      });
      spare.push(reply.buffer);
      const buffers = batchBuffers(batch);
      if (pending.worker === undefined) for (const buffer of buffers) ownBuffers.give(buffer);
      else pending.worker.send({ type: "recycle", buffers }, buffers);
    };
    const track = (reply: Promise<WorkerReply>, worker: PoolWorker | undefined): void => {
      const pending: Pending = { reply, worker, settled: false };
      // Read back in order below; a failure before then must not go unhandled meanwhile.
      reply.then(
        () => (pending.settled = true),
        () => (pending.settled = true),
      );
      ahead.push(pending);
    };
    let firstLine = 1;
    // The tail is shared in smaller blocks: as many as the threads hold between them, twice.
    const tail = 2 * BLOCKS_AHEAD * (workers + 1);
    for await (const block of readBlocks(file, blockBytes, tail, spare)) {
      let worker = pool.workers[0]!;
      for (const candidate of pool.workers)
        if (candidate.pending < worker.pending) worker = candidate;
      if (worker.pending < BLOCKS_AHEAD)
        track(
          worker.ask({ type: "block", buffer: block.buffer, length: block.length, firstLine }, [
            block.buffer,
          ]),
          worker,
        );
      else {
        const bytes = Buffer.from(block.buffer, 0, block.length);
        const batch = measureBlock(rows, file, skipInvalid, bytes, firstLine, ownBuffers);
        track(Promise.resolve({ type: "batch", batch, buffer: block.buffer }), undefined);
      }
      firstLine += block.lines;
      while (ahead.length > 0 && ahead[0]!.settled) await consume(ahead.shift()!);
      while (ahead.length >= BLOCKS_AHEAD * (workers + 1)) await consume(ahead.shift()!);
    }
    while (ahead.length > 0) await consume(ahead.shift()!);
    for (const worker of pool.workers) {
      const reply = await worker.ask({ type: "finish" });
      if (reply.type !== "partial") throw new Error("inspect worker: expected its counts");
      rows.merge(reply.partial);
    }
    finished = true;
  } catch (error) {
    // A row's own failure comes back as the error one thread would give; anything else is the
    // workers' (a thread that died, ran out of memory, or could not load).
    if (
      error instanceof CharterError ||
      pool.workers.every((worker) => worker.failure === undefined)
    )
      throw error;
    throw new WorkerFailedError(file, error);
  } finally {
    pool.release(!finished);
  }
}
