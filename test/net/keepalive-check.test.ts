import type net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { keepAliveCheck } from '../../src/checks/net-keepalive.js';
import type { CheckContext } from '../../src/checks/types.js';
import { closeAll, startHttp, startRaw } from './helpers/servers.js';
import { testContext } from '../helpers/check-context.js';

afterAll(closeAll);

function ctx(params: Record<string, string>, progress: string[] = []): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: (m) => progress.push(m), now: () => new Date() });
}

async function run(params: Record<string, string>, progress?: string[]) {
  const c = ctx(params, progress);
  const evidence = await keepAliveCheck.collect(c);
  return { evidence, result: keepAliveCheck.evaluate(evidence, c) };
}

/**
 * A backend modelled on the race itself: it closes each connection a fixed time after
 * its last response, whatever arrives meanwhile, and takes 100 ms to answer a request.
 */
async function racingServer(idleMs: number): Promise<number> {
  const { port } = await startRaw((socket: net.Socket) => {
    let timer: NodeJS.Timeout | undefined;
    let buffered = '';
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        setTimeout(() => {
          if (socket.destroyed || socket.writableEnded) return;
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: gunicorn\r\n\r\nok');
          clearTimeout(timer);
          timer = setTimeout(() => socket.end(), idleMs);
        }, 100);
      }
    });
  });
  return port;
}

describe.concurrent('net.keepalive check', () => {
  it('reports a race, the measured value and the fix for the detected server', async () => {
    const { port } = await startHttp((_q, res) => {
      res.setHeader('Server', 'nginx/1.25.3');
      res.end('ok');
    }, (s) => {
      s.keepAliveTimeout = 200;
    });
    const progress: string[] = [];
    const { result } = await run({ target: `127.0.0.1:${port}`, idleTimeoutSeconds: '2', maxWaitSeconds: '5' }, progress);
    expect(result.outcome).toBe('race');
    expect(result.status).toBe('fail');
    const measured = result.facts?.['backend.keepAliveSeconds'] as number;
    expect(measured).toBeGreaterThan(0.1);
    expect(measured).toBeLessThan(2);
    expect(result.facts?.['backend.server']).toBe('nginx/1.25.3');
    expect(result.findings?.[0]).toMatchObject({ cause: 'keepalive-race', confidence: 'confirmed' });
    expect(result.findings?.[0].evidence.join(' ')).toMatch(/vs gateway idle timeout 2 s/);
    expect(result.details?.join('\n')).toContain('keepalive_timeout 75s;');
    expect(result.details?.join('\n')).not.toContain('gunicorn');
    expect(result.sources?.[0].api).toBe('probe:http');
    expect(progress.some((p) => p.includes('waiting for the server to close the idle connection'))).toBe(true);
  });

  it('rules the race out when the backend outlasts the gateway idle timeout', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'), (s) => {
      s.keepAliveTimeout = 500; // closes at ~1.5 s on Node 20 (1 s buffer)
    });
    const { result } = await run({ target: `http://127.0.0.1:${port}/`, idleTimeoutSeconds: '0.5', maxWaitSeconds: '5' });
    expect(result.outcome).toBe('ok');
    expect(result.findings?.[0]).toMatchObject({ cause: 'keepalive-race', confidence: 'ruled-out' });
  });

  it('says no-keepalive when the server closes after each response', async () => {
    const { port } = await startHttp((_q, res) => {
      res.setHeader('Connection', 'close');
      res.end('ok');
    });
    const { result } = await run({ target: `127.0.0.1:${port}`, idleTimeoutSeconds: '1', maxWaitSeconds: '3' });
    expect(result.outcome).toBe('no-keepalive');
    expect(result.findings).toBeUndefined();
  });

  it('is inconclusive when the wait ends before the gateway idle timeout', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'), (s) => {
      s.keepAliveTimeout = 3000;
    });
    const { result } = await run({ target: `127.0.0.1:${port}`, idleTimeoutSeconds: '2', maxWaitSeconds: '0.5' });
    expect(result.outcome).toBe('inconclusive');
    expect(result.nextStep).toMatch(/maxWaitSeconds above 2/);
  });

  it('confirm=true sends a request just before the measured close and shows it unanswered', async () => {
    const port = await racingServer(600);
    const { evidence, result } = await run({ target: `127.0.0.1:${port}`, idleTimeoutSeconds: '1', maxWaitSeconds: '3', confirm: 'true' });
    expect(result.outcome).toBe('race');
    const m = evidence.measurement;
    // Timing precision is asserted in keepalive-timing.test.ts; here only the order matters.
    expect(m?.idleMs).toBeGreaterThanOrEqual(580);
    expect(m?.confirm?.answered).toBe(false);
    expect(m?.confirm?.closedBy).toBe('fin');
    expect(m?.confirm?.sentAfterMs).toBeLessThan(m?.idleMs ?? 0);
    expect(result.details?.join('\n')).toContain('--keep-alive 6');
  });

  it('gives a clean unknown, not a throw, when nothing listens', async () => {
    const { result } = await run({ target: '127.0.0.1:1', idleTimeoutSeconds: '1', maxWaitSeconds: '1' });
    expect(result.status).toBe('unknown');
    expect(result.summary).toMatch(/refused/);
  });

  it('refuses bad params with a next step', async () => {
    const { result } = await run({ target: 'not a target', idleTimeoutSeconds: '1' });
    expect(result.outcome).toBe('unknown');
    expect(result.nextStep).toBeTruthy();
    const bad = await run({ target: '127.0.0.1:80', idleTimeoutSeconds: 'soon' });
    expect(bad.result.summary).toMatch(/idleTimeoutSeconds must be a number/);
  });
});
