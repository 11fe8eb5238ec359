import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpConnectCheck } from '../../src/checks/net-tcp-connect.js';
import type { CheckContext } from '../../src/checks/types.js';
import { closeAll, closedPort, startHttp } from './helpers/servers.js';
import { startSilentPort } from './helpers/silent-port.js';
import { testContext } from '../helpers/check-context.js';

let silent: Awaited<ReturnType<typeof startSilentPort>>;
beforeAll(async () => {
  silent = await startSilentPort();
});
afterAll(async () => {
  silent.close();
  await closeAll();
});

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

async function check(params: Record<string, string>) {
  return tcpConnectCheck.evaluate(await tcpConnectCheck.collect(ctx(params)), ctx(params));
}

describe('net.tcp-connect', () => {
  it('open when something listens', async () => {
    const { port } = await startHttp((_q, res) => res.end());
    const result = await check({ host: '127.0.0.1', port: String(port) });
    expect(result.outcome).toBe('open');
    expect(result.findings).toBeUndefined();
    expect(result.sources?.[0]).toMatchObject({ api: 'probe:tcp', params: { host: '127.0.0.1', port } });
  });

  it('refused (RST) → target-not-listening', async () => {
    const result = await check({ host: '127.0.0.1', port: String(await closedPort()) });
    expect(result.outcome).toBe('refused');
    expect(result.findings?.[0]).toMatchObject({ cause: 'target-not-listening', confidence: 'likely' });
  });

  it('timeout when the handshake is silently dropped → sg-blocks-lb-to-target, with the 504 note', async () => {
    const result = await check({ host: '127.0.0.1', port: String(silent.port), timeoutSeconds: '0.5' });
    expect(result.outcome).toBe('timeout');
    expect(result.findings?.[0]).toMatchObject({ cause: 'sg-blocks-lb-to-target', confidence: 'suspected' });
    expect(result.details?.join(' ')).toMatch(/504/);
  });

  it('stops at once when aborted', async () => {
    const ac = new AbortController();
    const c = { ...ctx({ host: '127.0.0.1', port: String(silent.port), timeoutSeconds: '30' }), signal: ac.signal };
    setTimeout(() => ac.abort(), 50);
    const result = tcpConnectCheck.evaluate(await tcpConnectCheck.collect(c), c);
    expect(result.outcome).toBe('unknown');
    expect(result.summary).toMatch(/aborted/);
  });

  it('needs host and port', async () => {
    expect((await check({ host: '127.0.0.1' })).summary).toMatch(/port is required/);
    expect((await check({ host: '127.0.0.1', port: '70000' })).summary).toMatch(/port must be/);
  });
});
