/**
 * Splits a byte stream into lines without decoding it: the parsers look at bytes and
 * only build strings for the few lines they keep.
 */

/** `end` excludes the `\n` and a trailing `\r`. `overlong` means the line was cut at maxLine bytes. */
export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number, overlong: boolean) => void;

const NL = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  lineNo = 0;
  private rest: Buffer | null = null;
  private overlong = false;

  /** maxLine bounds memory when the input has no newlines (binary junk, one huge line). */
  constructor(private readonly onLine: LineHandler, private readonly maxLine = 1 << 20) {}

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.rest !== null || this.overlong) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.keep(chunk);
        return;
      }
      this.keep(chunk.subarray(0, nl));
      const line = this.rest ?? Buffer.alloc(0);
      const overlong = this.overlong;
      this.rest = null;
      this.overlong = false;
      this.emit(line, 0, line.length, overlong);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) break;
      this.emit(chunk, pos, nl, false);
      pos = nl + 1;
    }
    if (pos < len) this.keep(chunk.subarray(pos));
  }

  /** Flushes a last line that has no trailing newline. */
  end(): void {
    if (this.rest !== null || this.overlong) {
      const line = this.rest ?? Buffer.alloc(0);
      const overlong = this.overlong;
      this.rest = null;
      this.overlong = false;
      this.emit(line, 0, line.length, overlong);
    }
  }

  private keep(part: Buffer): void {
    if (this.overlong) return;
    const have = this.rest?.length ?? 0;
    if (have + part.length > this.maxLine) {
      const room = this.maxLine - have;
      this.rest = this.rest ? Buffer.concat([this.rest, part.subarray(0, room)]) : Buffer.from(part.subarray(0, room));
      this.overlong = true;
      return;
    }
    // Copy: a subarray would pin the whole (often 64 KiB) decompressed chunk.
    this.rest = this.rest ? Buffer.concat([this.rest, part]) : Buffer.from(part);
  }

  private emit(buf: Buffer, start: number, end: number, overlong: boolean): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    this.onLine(buf, start, end, this.lineNo, overlong);
  }
}
