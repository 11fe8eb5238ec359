// Starting moto and making accounts in it; no vitest import, so bench/ and scripts/ can use it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createSdkReader, type SdkReader, type SdkReaderOptions } from '../../src/aws/sdk/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const LAUNCHER = join(here, 'moto_launcher.py');
export const REGION = 'us-east-1';

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const full = join(dir, cmd);
    if (dir && existsSync(full)) return full;
  }
  return undefined;
}

/** A python that can import moto: MOTO_PYTHON, moto_server's own interpreter, or python3. */
export function findMotoPython(): string | undefined {
  const server = onPath('moto_server');
  if (!server && !process.env.MOTO_PYTHON) return undefined;
  const candidates = [process.env.MOTO_PYTHON];
  try {
    const shebang = /^#!\s*(\S*python\S*)/.exec(readFileSync(server ?? '', 'utf8').split('\n')[0])?.[1];
    candidates.push(shebang);
  } catch {
    // a shim or binary: fall through to python3
  }
  candidates.push('python3', 'python');
  for (const py of candidates) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import moto.server, moto.elbv2.models'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  endpoint: string;
  child: ChildProcess;
  /** The server's recent stderr (tracebacks), for diagnosing a 500. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Spawns the patched moto server on a free port and waits until it answers. */
export async function startMoto(python = findMotoPython()): Promise<MotoServer> {
  if (!python) throw new Error('moto_server not found: install moto[server]');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20000); });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`moto server exited early (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
    if (i === 199) {
      await stop();
      throw new Error(`moto server did not answer on ${endpoint}: ${stderr}`);
    }
  }
  return { endpoint, child, stop, stderr: () => stderr };
}

export interface MotoAccount {
  accountId: string;
  endpoint: string;
  /** Config for SDK clients in seed helpers (write calls, tests only). */
  clientConfig: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  };
  reader(opts?: Omit<SdkReaderOptions, 'endpoint' | 'credentials'>): SdkReader;
}

/** A fresh AWS account inside moto (via STS AssumeRole), so tests never see each other. */
export async function newAccount(endpoint: string, accountId = String(Math.floor(1e11 + Math.random() * 9e11))): Promise<MotoAccount> {
  const sts = new STSClient({ region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const res = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/it`, RoleSessionName: 'badgate-test' }));
  const c = res.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('moto AssumeRole returned no credentials');
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  return {
    accountId,
    endpoint,
    clientConfig: { region: REGION, endpoint, credentials },
    reader: (opts = {}) => createSdkReader({ region: REGION, ...opts, endpoint, credentials }),
  };
}

