// Records the AWS side and the access log of the ALB → Lambda drills from moto into each file's
// `aws:` and `logs.access` keys; the rest of the file stays as written:
//   node --import tsx scripts/record-lambda-drills.ts
// Per drill: a fresh moto state with a fixed random seed keeps ids stable; the access log is
// generated from the drill's story (so the ids in it are the recorded ones), CloudWatch gets the
// counts that log implies (the ALB's and the function's), and the checks of the flow's Lambda
// lane run through a recording reader, with and without the load balancer's name.
import { createRecordingReader, newRecording } from '../src/aws/recorded.js';
import type { AwsReader } from '../src/aws/reader.js';
import { lbDimension } from '../src/checks/elbv2-common.js';
import { getCheck } from '../src/checks/registry.js';
import type { Facts } from '../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../test/helpers/check-context.js';
import { recordDrills } from './drill-aws.js';
import type { MotoAccount } from '../test/helpers/moto-server.js';
import { seedMetrics } from '../test/helpers/seed-alb.js';
import { seedLambdaAlb, type SeedLambdaAlbConfig } from '../test/helpers/seed-alb-lambda.js';

const MINUTES = 60;
const CHECKS = ['sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'cloudwatch.who-made-502', 'lambda.function', 'cloudwatch.lambda-metrics', 'elbv2.lb-attributes'];

interface Request {
  /** Minutes after the start of the hour before the clock, with a fraction. */
  at: number;
  path: string;
  /** The ALB's status and the function's (`-` when the ALB rejected what the function returned). */
  elb: number;
  fn: string;
  errorReason: string;
  ms: number;
}

interface LambdaDrill {
  note: string;
  seed: SeedLambdaAlbConfig;
  host: string;
  /** The requests of the hour before the clock, oldest first. */
  requests(): Request[];
}

/** A small deterministic generator, so the log is the same on every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const DRILLS: Record<string, LambdaDrill> = {
  'quotes-api-502-after-deploy': {
    note: 'The ALB quotes-alb (HTTP:80 and a Lambda target group quotes-fn, health checks off) invokes the function quotes-api (Node.js 20, timeout 10 s, the ALB allowed by its resource policy); access logs on. Since minute 45 every GET /api/quotes is an ALB-made 502 while the function runs without errors.',
    host: 'quotes.example.com',
    seed: {
      name: 'quotes',
      fn: { name: 'quotes-api', timeoutSeconds: 10, allowAlb: true },
      lbAttributes: { 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-quotes-alb-logs', 'access_logs.s3.prefix': 'quotes', 'idle_timeout.timeout_seconds': '60' },
    },
    requests() {
      const rnd = lcg(42);
      const out: Request[] = [];
      const paths = ['/api/quotes', '/api/quotes', '/api/quotes/EURUSD', '/api/quotes/GBPUSD', '/api/health'];
      for (let at = 0.05; at < MINUTES; at += 0.08 + rnd() * 0.2) {
        const path = paths[Math.floor(rnd() * paths.length)];
        // Release 42 went out at minute 45: the list route returns its body as an object.
        const broken = at >= 45 && path === '/api/quotes';
        out.push({ at, path, elb: broken ? 502 : 200, fn: broken ? '-' : '200', errorReason: broken ? 'LambdaInvalidResponse' : '-', ms: Math.round(18 + rnd() * 60) });
      }
      return out;
    },
  },
};

const hex = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');

/** The ALB access-log line for one request to a Lambda target (target `-`, field 25 error_reason). */
function logLine(r: Request, start: number, lbDim: string, tgArn: string, host: string, rnd: () => number): string {
  const created = new Date(start + r.at * 60_000);
  const done = new Date(created.getTime() + r.ms);
  const iso = (d: Date) => d.toISOString().replace('Z', '000Z');
  const client = `198.51.100.${10 + Math.floor(rnd() * 200)}:${1024 + Math.floor(rnd() * 60000)}`;
  const secs = (r.ms / 1000).toFixed(3);
  const trace = `Root=1-${Math.floor(created.getTime() / 1000).toString(16)}-${hex(rnd, 24)}`;
  return `http ${iso(done)} ${lbDim} ${client} - 0.000 ${secs} 0.000 ${r.elb} ${r.fn} 184 ${r.elb === 502 ? 272 : 412 + Math.floor(rnd() * 900)} ` +
    `"GET http://${host}:80${r.path} HTTP/1.1" "quotes-web/3.4 (+https://${host})" - - ${tgArn} "${trace}" "-" "-" 0 ${iso(created)} ` +
    `"forward" "-" "${r.errorReason}" "-" "-" "-" "-" TID_${hex(rnd, 32)} "-" "-" "-"`;
}

/** Per-minute counts the log implies, as CloudWatch would hold them. */
function perMinute(requests: Request[], pick: (r: Request) => number): number[] {
  const out = new Array<number>(MINUTES).fill(0);
  for (const r of requests) out[Math.floor(r.at)] += pick(r);
  return out;
}

async function runChecks(reader: AwsReader, lbName: string, clock: Date): Promise<void> {
  for (const lb of ['', lbName]) {
    const facts: Facts = lb ? { 'target.lb': lb } : {};
    for (const id of CHECKS) {
      const params: Record<string, string> = id === 'elbv2.resolve' ? { lb } : id === 'lambda.function' ? { invoker: 'elb', sourceArn: String(facts['tg.arn'] ?? '') } : id.startsWith('cloudwatch.') ? { since: '' } : {};
      const r = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws: reader, now: () => clock }));
      console.log(`${id}: ${r.outcome} · ${r.summary}`);
      Object.assign(facts, r.facts ?? {});
    }
  }
}

async function seedAll(account: MotoAccount, drill: LambdaDrill, clock: Date): Promise<{ lbName: string; lines: string[] }> {
  const s = await seedLambdaAlb(account, drill.seed);
  const requests = drill.requests();
  const start = clock.getTime() - MINUTES * 60_000;
  const rnd = lcg(7);
  const lines = requests.map((r) => logLine(r, start, lbDimension(s.lbArn), s.tgArn, drill.host, rnd));
  // seedMetrics puts the last point one minute before `end`: end = clock gives the hour before it.
  await seedMetrics(account, { LoadBalancer: lbDimension(s.lbArn) }, {
    RequestCount: perMinute(requests, () => 1),
    HTTPCode_ELB_502_Count: perMinute(requests, (r) => (r.elb === 502 ? 1 : 0)),
    HTTPCode_ELB_5XX_Count: perMinute(requests, (r) => (r.elb >= 500 ? 1 : 0)),
    // load-balancer-access-logs.html: LambdaInvalidResponse is counted in LambdaUserError.
    LambdaUserError: perMinute(requests, (r) => (r.errorReason.startsWith('Lambda') ? 1 : 0)),
  }, clock);
  // The function is invoked for every request and returns each time: no Errors.
  await seedMetrics(account, { FunctionName: drill.seed.fn.name }, { Invocations: perMinute(requests, () => 1) }, clock, 'AWS/Lambda');
  const longest = Array.from({ length: MINUTES }, (_, i) => Math.max(0, ...requests.filter((r) => Math.floor(r.at) === i).map((r) => r.ms)));
  await seedMetrics(account, { FunctionName: drill.seed.fn.name }, { Duration: longest }, clock, 'AWS/Lambda');
  return { lbName: s.lbName, lines };
}

await recordDrills(DRILLS, () => 23, async ({ id, drill, doc, clock, account }) => {
  const { lbName, lines } = await seedAll(account, drill, clock);
  const rec = newRecording(account.reader().region, `${drill.note} Recorded from moto by scripts/record-lambda-drills.ts.`);
  await runChecks(createRecordingReader(account.reader(), rec), lbName, clock);
  doc.setIn(['logs', 'access'], doc.createNode(lines));
  console.log(`${id}: ${lines.length} access-log lines`);
  return rec;
});
