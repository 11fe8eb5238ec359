// `badgate run --url …` with no flow: the maker of the URL's error page picks the flow.
// The answers are the captured responses in test/fixtures/net/fingerprint/ (their sources are
// listed in that folder's cases.json: AWS documentation and real captures), served byte for byte.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flowForUrl } from '../../src/commands/pick-flow.js';
import { runCliAsync } from '../helpers/cli.js';
import { closeAll, closedPort, startRaw } from './helpers/servers.js';

/** The fixtures are responses as pasted (LF lines): put them back on the wire with CRLF and a true length. */
function wire(text: string): Buffer {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const body = Buffer.from(rest.join('\n\n'));
  // A capture made over HTTP/2 (`HTTP/2 502`) goes back as HTTP/1.1 with the same status and headers.
  const lines = head.split(/\r?\n/).filter((l) => !/^(content-length|transfer-encoding):/i.test(l))
    .map((l, i) => (i === 0 ? l.replace(/^HTTP\/2(?:\.0)? (\d{3})$/, 'HTTP/1.1 $1 Bad Gateway') : l));
  return Buffer.concat([Buffer.from(`${[...lines, `Content-Length: ${body.length}`].join('\r\n')}\r\n\r\n`), body]);
}

async function serve(file: string): Promise<string> {
  const raw = wire(readFileSync(new URL(`../fixtures/net/fingerprint/${file}`, import.meta.url), 'utf8'));
  const { port } = await startRaw((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end(raw));
  });
  return `http://127.0.0.1:${port}/checkout`;
}

afterAll(closeAll);

const ALL = ['alb', 'apigw', 'cloudfront', 'nginx'];

describe.concurrent('flowForUrl', () => {
  it('opens the flow of the gateway that made the 502', async () => {
    for (const [file, flow] of [['alb-502.txt', 'alb'], ['cloudfront-502.txt', 'cloudfront'], ['nginx-502.txt', 'nginx'], ['apigw-rest-502.txt', 'apigw']] as const) {
      const choice = await flowForUrl(await serve(file), { flows: ALL });
      expect(choice.flow, file).toBe(flow);
      expect(choice.why, file).toMatch(new RegExp(`answered 502, made by .*opening the ${flow} flow`));
    }
  });

  it('an ALB error relayed by CloudFront opens the ALB flow: the ALB made it', async () => {
    const choice = await flowForUrl(await serve('alb-behind-cloudfront.txt'), { flows: ALL });
    expect(choice.flow).toBe('alb');
  });

  it('starts the ALB flow and says why when the maker has no flow, is unknown, or nothing answers', async () => {
    const noFlow = await flowForUrl(await serve('cloudfront-502.txt'), { flows: ['alb'] });
    expect(noFlow).toMatchObject({ flow: 'alb' });
    expect(noFlow.why).toMatch(/CloudFront, which has no flow of its own: starting the ALB flow; pick another with: badgate run <flow> \(alb\)/);
    const unknown = await flowForUrl(await serve('unknown-502.txt'), { flows: ALL });
    expect(unknown.flow).toBe('alb');
    expect(unknown.why).toContain('nothing in the answer names who made it');
    const closed = await flowForUrl(`http://127.0.0.1:${await closedPort()}/`, { flows: ALL });
    expect(closed.flow).toBe('alb');
    expect(closed.why).toMatch(/did not answer \(.+\): starting the ALB flow/);
  });
});

describe('badgate check --url with no flow', () => {
  it('picks the flow from the answer, says so on stderr and runs it', async () => {
    const state = mkdtempSync(join(tmpdir(), 'badgate-pick-'));
    const r = await runCliAsync(['check', '--url', await serve('alb-502.txt'), '--json'], { BADGATE_STATE_DIR: state, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    expect(r.err).toMatch(/answered 502, made by .*opening the alb flow/);
    expect((JSON.parse(r.out) as { flow: string }).flow).toBe('alb');
  });
});

describe('badgate check --url with no flow, nginx', () => {
  it('an nginx-made 502 opens the shipped nginx flow, which makes no AWS call', async () => {
    const state = mkdtempSync(join(tmpdir(), 'badgate-pick-'));
    const r = await runCliAsync(['check', '--url', await serve('nginx-502.txt'), '--json'], { BADGATE_STATE_DIR: state });
    expect(r.err).toMatch(/answered 502, made by .*opening the nginx flow/);
    expect(r.err).toMatch(/Local checks only/);
    const out = JSON.parse(r.out) as { flow: string; checks: { id: string; outcome: string }[] };
    expect(out.flow).toBe('nginx');
    expect(out.checks.find((c) => c.id === 'net.http-probe')?.outcome).not.toBe('unknown');
  });
});
