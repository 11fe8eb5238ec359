/**
 * Writes a realistic gzipped ALB access log for the parser benchmark: ~100 requests/s
 * over many targets, with a few thousand 502s of each kind (target-generated, Lambda,
 * malformed, keep-alive race on a quiet target, crash bursts, a target that never
 * listens, an HTTPS target failing TLS, deregistration cut-offs).
 */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';

const LB = 'app/shop-prod/50dc6c495c0c9188';
const TG_WEB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067';
const TG_API = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/943f017f100becff';
const TG_TLS = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/secure/5a1c2b3d4e5f6a7b';
const TG_LAMBDA = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fn/1234567890abcdef';
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'okhttp/4.12.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
];
const PATHS = ['/', '/api/cart', '/api/products?page=2', '/static/app.9f3c1.js', '/api/checkout', '/login', '/api/search?q=shoes', '/health/deep', '/images/banner.webp'];
const WEB_TARGETS = Array.from({ length: 10 }, (_, i) => `10.0.1.${10 + i}:8080`);

let seed = 42;
function rnd(): number {
  // mulberry32: deterministic, so every run measures the same bytes.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(a: T[]): T {
  return a[Math.floor(rnd() * a.length)];
}
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}
function hex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
}

interface Line {
  endMs: number;
  startMs: number;
  target: string;
  timings: string;
  elb: string;
  tstat: string;
  tg: string;
  path?: string;
  error?: string;
}

function format(l: Line): string {
  const path = l.path ?? pick(PATHS);
  const client = `${Math.floor(rnd() * 200) + 20}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}:${1024 + Math.floor(rnd() * 60000)}`;
  const method = path.startsWith('/api/checkout') ? 'POST' : 'GET';
  const trace = `Root=1-${Math.floor(l.startMs / 1000).toString(16)}-${hex(24)}`;
  return `https ${iso(l.endMs)} ${LB} ${client} ${l.target} ${l.timings} ${l.elb} ${l.tstat} ${300 + Math.floor(rnd() * 900)} ${l.elb === '200' ? 1000 + Math.floor(rnd() * 40000) : 272} ` +
    `"${method} https://shop.example.com:443${path} HTTP/1.1" "${pick(UAS)}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${l.tg} "${trace}" "shop.example.com" ` +
    `"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 ${iso(l.startMs)} "forward" "-" "${l.error ?? '-'}" "${l.target}" "${l.tstat}" "-" "-" TID_${hex(32)} "-" "-" "-"\n`;
}

export interface GenOptions {
  /** When the file starts (default 2026-11-20 00:00 UTC). */
  startMs?: number;
  /** Spread the lines over this span (an ELB file covers 5 minutes); default ~100 requests/s. */
  spanMs?: number;
  /** The web targets in service at a time (autoscaling churn); default 10 fixed targets. */
  targetsAt?: (ms: number) => string[];
}

const DAY0 = Date.UTC(2026, 10, 20, 0, 0, 0);

/** ~640 bytes: the generated line's average length, to spread a file's lines over its span. */
const LINE_BYTES = 640;

export async function generateAlbLog(file: string, sizeBytes: number, opts: GenOptions = {}): Promise<{ lines: number; bytes: number }> {
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const t0 = opts.startMs ?? DAY0;
  const stepMax = opts.spanMs ? Math.max(1, Math.floor((2 * opts.spanMs * LINE_BYTES) / sizeBytes)) : 20;
  let ms = t0;
  let bytes = 0;
  let lines = 0;
  let quietNext = t0;
  let quietLast = t0;
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    const s = batch.join('');
    batch = [];
    if (!gz.write(s)) await once(gz, 'drain');
  };
  const emit = (l: Line): void => {
    const s = format(l);
    bytes += Buffer.byteLength(s);
    lines++;
    batch.push(s);
  };
  while (bytes < sizeBytes) {
    ms += Math.floor(rnd() * stepMax);
    // Crash bursts keep to the clock, not to the file, when a directory is written file by file.
    const minute = Math.floor((ms - DAY0) / 60000);
    const r = rnd();
    // Crash bursts: target 10.0.1.17 is down for the first 30 s of every 37th minute.
    const crashing = minute % 37 === 0 && (ms - DAY0) % 60000 < 30000;
    const target = pick(opts.targetsAt ? opts.targetsAt(ms) : WEB_TARGETS);
    const dur = Math.floor(rnd() * 80);
    if (r < 0.0015) {
      emit({ endMs: ms, startMs: ms - dur, target, timings: `0.000 0.${String(dur).padStart(3, '0')} 0.000`, elb: '502', tstat: '502', tg: TG_WEB });
    } else if (r < 0.003) {
      emit({ endMs: ms, startMs: ms - 1, target: '-', timings: '0.000 0.001 0.000', elb: '502', tstat: '-', tg: TG_LAMBDA, error: rnd() < 0.5 ? 'LambdaInvalidResponse' : 'LambdaUnhandled' });
    } else if (r < 0.0045) {
      emit({ endMs: ms, startMs: ms - dur, target, timings: `0.000 0.${String(dur).padStart(3, '0')} 0.000`, elb: '502', tstat: '-', tg: TG_WEB });
    } else if (r < 0.0055) {
      emit({ endMs: ms, startMs: ms, target: '10.0.1.99:8080', timings: '-1 -1 -1', elb: '502', tstat: '-', tg: TG_WEB });
    } else if (r < 0.0065) {
      emit({ endMs: ms, startMs: ms, target: '10.0.3.5:443', timings: '-1 -1 -1', elb: '502', tstat: '-', tg: TG_TLS });
    } else if (crashing && target === '10.0.1.17:8080') {
      emit({ endMs: ms, startMs: ms, target: '10.0.1.17:8080', timings: '-1 -1 -1', elb: '502', tstat: '-', tg: TG_WEB });
    } else {
      emit({ endMs: ms, startMs: ms - dur, target, timings: `0.000 0.${String(dur).padStart(3, '0')} 0.000`, elb: rnd() < 0.05 ? '304' : '200', tstat: '200', tg: TG_WEB });
    }
    // A quiet API target with a 5 s keep-alive: requests after ~5-6 s idle sometimes hit the race.
    if (ms >= quietNext) {
      // The race depends on how long the connection sat idle before this request.
      const idle = ms - quietLast;
      const race = idle >= 5000 && idle < 6500 && rnd() < 0.6;
      emit(race
        ? { endMs: ms, startMs: ms, target: '10.0.2.10:3000', timings: '0.000 0.000 -1', elb: '502', tstat: '-', tg: TG_API, path: '/api/orders' }
        : { endMs: ms + 3, startMs: ms, target: '10.0.2.10:3000', timings: '0.000 0.003 0.000', elb: '304', tstat: '304', tg: TG_API, path: '/api/orders' });
      if (!race) quietLast = ms + 3;
      quietNext = ms + 1000 + Math.floor(rnd() * 9000);
    }
    // Deregistration: every 2 hours a web node is scaled in with requests still in flight.
    if ((ms - t0) % 7_200_000 < 20 && ms - t0 > 60_000) {
      for (let k = 0; k < 40; k++) emit({ endMs: ms, startMs: ms - 30_000 - k * 100, target: '10.0.9.9:8080', timings: '-1 -1 -1', elb: '502', tstat: '-', tg: TG_WEB });
    }
    if (batch.length >= 5000) await flush();
  }
  await flush();
  gz.end();
  await once(out, 'finish');
  return { lines, bytes };
}
