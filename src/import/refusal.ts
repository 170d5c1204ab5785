// A refused import: the input is malformed, so nothing of it is applied. Commands map it
// to exit code 3 (refused update), the same code a refused analyst update gets.

export class ImportRefusal extends Error {
  override name = 'ImportRefusal';
  constructor(
    /** The file as the user would find it, e.g. "a.zip:2021-11/2021-11-kent-street.csv". */
    readonly file: string,
    /** 1-based line in that file, when the problem is on a line. */
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(line === null ? `${file}: ${problem}` : `${file}, line ${line}: ${problem}`);
  }
}
