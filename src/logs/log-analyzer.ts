/** The entry point for parsing: open one parser per input, push bytes, then finish. */
import { AnalyzerState, type AnalyzerOptions } from './analyzer.js';
import { concludeAnalysis } from './conclude.js';
import { LogFileParser } from './file-parser.js';
import type { LogAnalysis, SourceError } from './types.js';
import { mergePartial, toPartial, type AnalyzerPartial } from './partial.js';

export type { AnalyzerOptions } from './analyzer.js';

export class LogAnalyzer {
  private readonly state: AnalyzerState;
  private result: LogAnalysis | null = null;

  constructor(opts: AnalyzerOptions = {}) {
    this.state = new AnalyzerState(opts);
  }

  /** `name` is used in evidence (`name:line`); ELB object names also tell the ALB node. */
  openFile(name: string): LogFileParser {
    return new LogFileParser(this.state, name);
  }

  addBytes(n: number): void {
    this.state.bytes += n;
  }

  /** A source failed: the analysis goes on and is marked partial. */
  addError(err: SourceError): void {
    this.state.addError(err);
  }

  get lines(): number {
    return this.state.lines;
  }

  get count502(): number {
    return this.state.count502;
  }

  /** What was read so far, as plain data a worker thread can post. */
  partial(): AnalyzerPartial {
    return toPartial(this.state);
  }

  /** Adds what another analyzer (a worker thread) read. */
  merge(p: AnalyzerPartial): void {
    mergePartial(this.state, p);
  }

  finish(): LogAnalysis {
    this.result ??= concludeAnalysis(this.state);
    return this.result;
  }
}

/** Convenience for tests and small inputs: analyse in-memory files. */
export function analyzeText(files: Record<string, string | Buffer>, opts: AnalyzerOptions = {}): LogAnalysis {
  const an = new LogAnalyzer(opts);
  for (const [name, body] of Object.entries(files)) {
    const p = an.openFile(name);
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    an.addBytes(buf.length);
    p.push(buf);
    p.end();
  }
  return an.finish();
}
