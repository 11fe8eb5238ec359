import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1ResponseReader, signalsClose, type ResponseHead } from '../../src/net/http1-response-reader.js';

const chunked =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer: uvicorn\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';
const withLength = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: keep-alive\r\n\r\nnot found';

function feedAll(text: string, cuts: number[]) {
  const reader = new Http1ResponseReader();
  const bytes = Buffer.from(text, 'latin1');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let last = 0;
  const states = [];
  for (const p of [...points, bytes.length]) {
    if (p <= last) continue;
    states.push(reader.feed(bytes.subarray(last, p)));
    last = p;
  }
  return states;
}

describe('Http1ResponseReader', () => {
  it('frames chunked and Content-Length responses however the bytes are split', () => {
    fc.assert(
      fc.property(fc.constantFrom(chunked, withLength), fc.array(fc.nat(400), { maxLength: 12 }), (text, cuts) => {
        const states = feedAll(text, cuts);
        const doneAt = states.findIndex((s) => s.done);
        expect(doneAt).toBe(states.length - 1); // done exactly when the last byte arrives
        const last = states[doneAt];
        if (!last.done) throw new Error('unreachable');
        expect(last.head.status).toBe(text === chunked ? 200 : 404);
        expect(last.untilClose).toBe(false);
      }),
    );
  });

  it('is not done one byte early', () => {
    const reader = new Http1ResponseReader();
    expect(reader.feed(Buffer.from(chunked.slice(0, -1), 'latin1')).done).toBe(false);
    expect(reader.feed(Buffer.from('\n')).done).toBe(true);
  });

  it('reports a body without length as read-until-close', () => {
    const state = new Http1ResponseReader().feed(Buffer.from('HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody'));
    expect(state).toMatchObject({ done: true, untilClose: true });
    if (state.done) expect(signalsClose(state.head)).toBe(true);
  });

  it('rejects malformed heads with an HPE code', () => {
    expect(() => new Http1ResponseReader().feed(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'HPE_INVALID_CONSTANT' }));
    expect(() => new Http1ResponseReader().feed(Buffer.from('HTTP/1.1 200 OK\r\nbad header\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'HPE_INVALID_HEADER_TOKEN' }));
    expect(() => new Http1ResponseReader().feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'HPE_INVALID_CONTENT_LENGTH' }));
  });

  it('knows when the server says it will close', () => {
    const head = (v: string, conn?: string): ResponseHead => ({ status: 200, httpVersion: v, headers: conn ? { connection: conn } : {} });
    expect(signalsClose(head('1.1'))).toBe(false);
    expect(signalsClose(head('1.1', 'close'))).toBe(true);
    expect(signalsClose(head('1.0'))).toBe(true);
    expect(signalsClose(head('1.0', 'keep-alive'))).toBe(false);
  });
});
