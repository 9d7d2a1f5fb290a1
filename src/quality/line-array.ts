// A typed array indexed by line number that grows as lines come (one number per line, no objects).

export /** A growable typed array indexed by line number. */
class LineArray<T extends Uint8Array | Int32Array | Float64Array> {
  constructor(
    public values: T,
    private readonly make: (size: number) => T,
  ) {}

  set(line: number, value: number): void {
    if (line >= this.values.length) {
      let size = this.values.length;
      while (size <= line) size *= 2;
      const grown = this.make(size);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[line] = value;
  }

  get(line: number): number {
    return line < this.values.length ? this.values[line]! : 0;
  }
}
