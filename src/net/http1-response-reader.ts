import { codedError } from './net-error.js';

/** The head of an HTTP/1.x response as read off a raw socket. */
export interface ResponseHead {
  status: number;
  httpVersion: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export type ReadState =
  | { done: false }
  | { done: true; head: ResponseHead; /** The body runs until the server closes: no keep-alive. */ untilClose: boolean };

const MAX_HEAD = 64 * 1024;

/**
 * Frames one HTTP/1.x response (Content-Length, chunked, or read-until-close) so the
 * keep-alive probe knows the exact moment the response ended and the idle time began.
 * Node's own client cannot be used for that: it closes or pools the socket itself.
 */
export class Http1ResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  private head?: ResponseHead;
  private mode: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done' = 'head';
  private remaining = 0;

  constructor(private readonly method: string = 'GET') {}

  /** Feeds bytes; throws a coded error (`HPE_…`) when they are not a valid response. */
  feed(chunk: Buffer): ReadState {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      switch (this.mode) {
        case 'head': {
          const end = this.buf.indexOf('\r\n\r\n');
          if (end < 0) {
            if (this.buf.length > MAX_HEAD) throw codedError('HPE_HEADER_OVERFLOW', 'response head larger than 64 KB');
            return { done: false };
          }
          const head = parseHead(this.buf.subarray(0, end).toString('latin1'));
          this.buf = this.buf.subarray(end + 4);
          if (head.status >= 100 && head.status < 200) continue; // interim response; the real one follows
          this.head = head;
          this.mode = this.bodyMode(head);
          continue;
        }
        case 'length': {
          const take = Math.min(this.remaining, this.buf.length);
          this.remaining -= take;
          this.buf = this.buf.subarray(take);
          if (this.remaining > 0) return { done: false };
          this.mode = 'done';
          continue;
        }
        case 'chunk-size': {
          const eol = this.buf.indexOf('\r\n');
          if (eol < 0) return { done: false };
          const size = Number.parseInt(this.buf.subarray(0, eol).toString('latin1').split(';')[0].trim(), 16);
          if (!Number.isFinite(size) || size < 0) throw codedError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
          this.buf = this.buf.subarray(eol + 2);
          this.mode = size === 0 ? 'trailers' : 'chunk-data';
          this.remaining = size;
          continue;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, this.buf.length);
          this.remaining -= take;
          this.buf = this.buf.subarray(take);
          if (this.remaining > 0) return { done: false };
          this.mode = 'chunk-end';
          continue;
        }
        case 'chunk-end': {
          if (this.buf.length < 2) return { done: false };
          this.buf = this.buf.subarray(2);
          this.mode = 'chunk-size';
          continue;
        }
        case 'trailers': {
          const eol = this.buf.indexOf('\r\n');
          if (eol < 0) return { done: false };
          this.buf = this.buf.subarray(eol + 2);
          if (eol === 0) this.mode = 'done';
          continue;
        }
        case 'until-close':
          this.buf = Buffer.alloc(0);
          return { done: true, head: this.head as ResponseHead, untilClose: true };
        case 'done':
          return { done: true, head: this.head as ResponseHead, untilClose: false };
      }
    }
  }

  private bodyMode(head: ResponseHead): Http1ResponseReader['mode'] {
    if (this.method === 'HEAD' || head.status === 204 || head.status === 304) return 'done';
    const te = head.headers['transfer-encoding'];
    if (te && /chunked\s*$/i.test(te)) return 'chunk-size';
    const cl = head.headers['content-length'];
    if (cl !== undefined) {
      if (!/^\d+$/.test(cl.trim())) throw codedError('HPE_INVALID_CONTENT_LENGTH', `invalid Content-Length "${cl}"`);
      this.remaining = Number(cl.trim());
      return this.remaining === 0 ? 'done' : 'length';
    }
    return 'until-close';
  }
}

function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!m) throw codedError('HPE_INVALID_CONSTANT', `not an HTTP status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const h = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!h) throw codedError('HPE_INVALID_HEADER_TOKEN', `invalid header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = h[1].toLowerCase();
    headers[name] = headers[name] === undefined ? h[2] : `${headers[name]}, ${h[2]}`;
  }
  return { status: Number(m[2]), httpVersion: m[1], headers };
}

/** Whether the response says the server will close the connection after it. */
export function signalsClose(head: ResponseHead): boolean {
  const conn = (head.headers.connection ?? '').toLowerCase();
  if (/\bclose\b/.test(conn)) return true;
  return head.httpVersion === '1.0' && !/\bkeep-alive\b/.test(conn);
}
