// An AWS endpoint that echoes the request's credentials in its error text: the marker keys
// must reach no output and no file badgate writes (journal, recording, report, stdout JSON).
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const KEY_ID = 'AKIAMARKERMARKER7777';
const SECRET = 'markerSECRETmarkerSECRETmarkerSECRET7777';
const TOKEN = 'FwoGZXIvYXdzMARKERTOKENmarkertoken7777markertoken7777markertoken7777';
let server: Server;
let endpoint: string;

beforeAll(async () => {
  // Answers every call with an STS-style error whose message repeats the request's headers.
  server = createServer((req, res) => {
    const echoed = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>bad request: ${echoed}</Message></Error><RequestId>1</RequestId></ErrorResponse>`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('secrets in error text', () => {
  it('no marker credential in stdout, stderr, the journal, the recording or the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-echo-'));
    const r = await runCliAsync(['check', 'alb', '--lb', 'shop', '--json', '--region', 'us-east-1', '--record', join(dir, 'rec.json'), '--report', join(dir, 'pm.md')], {
      BADGATE_STATE_DIR: join(dir, 'state'), AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN,
    });
    // The endpoint did answer with the echo, so the test would catch a leak.
    expect(r.err).toMatch(/AWS checks off: AWS rejected the credentials/);
    const written = files(dir);
    expect(written.map((f) => f.replace(dir, ''))).toEqual(expect.arrayContaining(['/rec.json', '/pm.md']));
    for (const text of [r.out, r.err, ...written.map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain(KEY_ID);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('MARKERTOKEN');
    }
  }, 60_000);
});
