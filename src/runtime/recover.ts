// Stage 2 of a run: open the folder's journal and ordered files as the last commit left them,
// rewinding to the first failed item so it can be retried in place (protocol in README.md).

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppendFile } from "../io/index.js";
import { CharterError } from "../errors.js";
import {
  commitRecordLine,
  lengthsBefore,
  locateRecords,
  scanJournal,
  type RecordLocation,
  type RecordTally,
} from "./journal.js";
import { JOURNAL_DIR } from "./run-folder.js";

export const JOURNAL_FILE = `${JOURNAL_DIR}/journal.jsonl`;
export const POSITIONS_FILE = `${JOURNAL_DIR}/positions.jsonl`;

/** A run folder ready to continue. */
export interface OpenRunFiles {
  readonly journalPath: string;
  readonly journal: AppendFile;
  /** The ordered files (dataset files, then trace), cut back to the commit. */
  readonly outputs: AppendFile[];
  readonly positions: AppendFile;
  readonly tally: RecordTally;
  /** Every item with a smaller index is written. */
  readonly next: number;
  /** IdChain digest of the written items, when the commit recorded one. */
  readonly expectedIds: string | undefined;
  /** Successful journal records at or after `next`, by index. */
  readonly reusable: readonly RecordLocation[];
}

export async function openRunFiles(
  dir: string,
  orderedFiles: readonly string[],
): Promise<OpenRunFiles> {
  const journalPath = join(dir, JOURNAL_FILE);
  const positionsPath = join(dir, POSITIONS_FILE);
  const state = await scanJournal(journalPath);
  const journal = AppendFile.open(journalPath, state.validLength);
  const committed = state.commit;
  let next = committed?.next ?? 0;
  let expectedIds = committed?.ids;
  let fileLengths = orderedFiles.map((file) => committed?.bytes[file] ?? 0);
  let positionsLength = committed?.bytes[POSITIONS_FILE] ?? 0;
  assertFilesReachCommit(dir, [...orderedFiles, POSITIONS_FILE], [...fileLengths, positionsLength]);
  const firstFailure = Math.min(
    ...[...state.tally.failures.keys()].filter((index) => index < next),
  );
  if (Number.isFinite(firstFailure)) {
    // Failed items are retried, and their records belong before later items: cut the files back to
    // just before the first of them. The commit record goes first, so a crash cannot leave files
    // shorter than the journal's latest commit says.
    const before = await lengthsBefore(positionsPath, positionsLength, firstFailure, orderedFiles);
    next = firstFailure;
    fileLengths = before.files;
    positionsLength = before.positions;
    expectedIds = before.ids;
    journal.append(
      commitRecordLine(next, lengthMap(orderedFiles, fileLengths, positionsLength), before.ids),
    );
  }
  return {
    journalPath,
    journal,
    outputs: orderedFiles.map((file, n) => AppendFile.open(join(dir, file), fileLengths[n])),
    positions: AppendFile.open(positionsPath, positionsLength),
    tally: state.tally,
    next,
    expectedIds,
    reusable: await locateRecords(journalPath, next, journal.size),
  };
}

/** The `bytes` of a commit record: each ordered file's length, and the positions file's. */
export function lengthMap(
  files: readonly string[],
  lengths: readonly number[],
  positions: number,
): Record<string, number> {
  const map: Record<string, number> = {};
  files.forEach((file, n) => (map[file] = lengths[n] ?? 0));
  map[POSITIONS_FILE] = positions;
  return map;
}

/** Ordered files only ever grow past their committed length; shorter means someone cut them. */
function assertFilesReachCommit(
  dir: string,
  files: readonly string[],
  lengths: readonly number[],
): void {
  files.forEach((file, n) => {
    const path = join(dir, file);
    const size = existsSync(path) ? statSync(path).size : 0;
    if (size < (lengths[n] ?? 0))
      throw new CharterError(
        "run-folder-damaged",
        `${path} is shorter than the run journal says (${size} < ${lengths[n]} bytes): it was changed outside Charter; start again in a new --out folder`,
      );
  });
}
