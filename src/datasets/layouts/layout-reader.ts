// Reads the rows of one file, each in its own layout among those of the file's kind: a file may mix
// layouts that teach the same thing (`judge --pairs` takes `{prompt, responses}` and
// `{prompt, chosen, rejected}` row by row), never kinds (an SFT row in a preference file).

import {
  RowShapeError,
  isObject,
  type DatasetFormat,
  type DatasetKind,
  type DatasetLayout,
  type DatasetRow,
  type JsonRow,
} from "./layout.js";

/**
 * How a file's rows are read: `format` is its first row's layout (or the one `--format` named);
 * `forced` (`--format`) reads every row as `format`, otherwise each row is read in its own layout.
 */
export interface LayoutChoice {
  readonly format: DatasetFormat;
  readonly forced: boolean;
}

/** Rows read per layout, the file's own first (what a report says it saw). */
export type LayoutCounts = readonly (readonly [DatasetFormat, number])[];

/** What the reader needs of the layout table (index.ts holds it; passed in to keep imports one way). */
export interface LayoutTable {
  readonly layouts: { readonly [Name in DatasetFormat]: DatasetLayout };
  /** Detection order. */
  readonly order: readonly DatasetFormat[];
}

/**
 * The layout a row is read in: the file's own when it recognises the row (so a file in one layout
 * reads exactly as it always did), else the first layout of the same kind, in detection order, that
 * does. A row another kind's layout recognises is refused with both layouts named; a row no layout
 * recognises is left to the file's layout, whose reader says what is wrong with it.
 */
export function layoutOfRow(row: JsonRow, choice: LayoutChoice, table: LayoutTable): DatasetFormat {
  const own = table.layouts[choice.format];
  if (choice.forced || own.recognises(row)) return choice.format;
  let other: DatasetFormat | undefined;
  for (const format of table.order) {
    const layout = table.layouts[format];
    if (!layout.recognises(row)) continue;
    if (layout.kind === own.kind) return format;
    // A bare `{prompt}` is a prompts row to detection, yet also what a broken preference row
    // leaves: only an SFT or preference layout makes a row clearly of another kind.
    if (layout.kind !== "prompts") other ??= format;
  }
  if (other !== undefined)
    throw new RowShapeError(
      `a ${other} row (${kindName(table.layouts[other].kind)}) in a file whose first row is ${choice.format} (${kindName(own.kind)}): a file holds one kind of dataset; split it by kind, or read every row as one layout with --format`,
    );
  return choice.format;
}

function kindName(kind: DatasetKind): string {
  return kind === "sft" ? "SFT" : kind;
}

/**
 * One row in the common shape, read in its layout; throws RowShapeError with the whole message
 * (`not a judge-input row: ...`, or the mix of kinds).
 */
export function readRowIn(
  value: unknown,
  choice: LayoutChoice,
  line: number,
  table: LayoutTable,
): { readonly format: DatasetFormat; readonly row: DatasetRow } {
  if (!isObject(value))
    throw new RowShapeError(`not a ${choice.format} row: row is not a JSON object`);
  const format = layoutOfRow(value, choice, table);
  try {
    return { format, row: table.layouts[format].read(value, line) };
  } catch (error) {
    if (error instanceof RowShapeError)
      throw new RowShapeError(`not a ${format} row: ${error.message}`);
    throw error;
  }
}

/** Reads a file's rows (see readRowIn) and counts how many it read in each layout. */
export class LayoutReader {
  private readonly counts = new Map<DatasetFormat, number>();

  constructor(
    readonly choice: LayoutChoice,
    private readonly table: LayoutTable,
    /** A rule the row must also meet (the pair reader's, for preference rows): its problem or undefined. */
    private readonly check?: (row: JsonRow) => string | undefined,
  ) {}

  read(value: unknown, line: number): DatasetRow {
    const { format, row } = readRowIn(value, this.choice, line, this.table);
    this.counts.set(format, (this.counts.get(format) ?? 0) + 1);
    const problem = this.check?.(value as JsonRow);
    return problem === undefined ? row : { ...row, pairProblem: problem };
  }

  /** Rows read per layout: the file's own first, then the others in detection order. */
  layouts(): LayoutCounts {
    const own = this.choice.format;
    const order = [own, ...this.table.order.filter((format) => format !== own)];
    return order.flatMap((format) => {
      const count = this.counts.get(format);
      return count === undefined ? [] : [[format, count] as const];
    });
  }

  /** Adds the counts of another reader of the same file (a worker's share of its rows). */
  merge(counts: LayoutCounts): void {
    for (const [format, count] of counts)
      this.counts.set(format, (this.counts.get(format) ?? 0) + count);
  }

  /** More than one layout among the rows read. */
  get mixed(): boolean {
    return this.counts.size > 1;
  }
}
