/** A running count with the first few 1-based row numbers, for one anomaly. */
export class Tally {
  count = 0;
  readonly exampleRows: number[] = [];

  add(row: number): void {
    this.count++;
    if (this.exampleRows.length < 5) this.exampleRows.push(row);
  }
}
