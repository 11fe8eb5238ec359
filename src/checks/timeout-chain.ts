import { factNumber } from './elbv2-common.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export const SERVERS = ['node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'tomcat-stock', 'spring', 'iis', 'go', 'fastify', 'caddy', 'other'] as const;
export type Server = (typeof SERVERS)[number];

interface ServerDefault {
  /** Idle keep-alive default in seconds; `Infinity` = never closes idle connections. */
  seconds: number;
  setting: string;
  /** The exact fix for a keep-alive of `n` seconds. */
  fix(n: number): string;
  note?: string;
}

/** Reference §6.3. Node depends on the version, so it is computed in `serverDefault`. */
const DEFAULTS: Record<Exclude<Server, 'node' | 'other'>, ServerDefault> = {
  nginx: { seconds: 75, setting: 'keepalive_timeout', fix: (n) => `keepalive_timeout ${n}s;  (http or server block)` },
  apache: { seconds: 5, setting: 'KeepAliveTimeout', fix: (n) => `KeepAlive On\nKeepAliveTimeout ${n}` },
  gunicorn: { seconds: 2, setting: '--keep-alive', fix: (n) => `gunicorn --keep-alive ${n} … (use gthread/gevent workers; the sync worker closes after every response)` },
  uvicorn: { seconds: 5, setting: '--timeout-keep-alive', fix: (n) => `uvicorn --timeout-keep-alive ${n} …` },
  puma: { seconds: 20, setting: 'persistent_timeout', fix: (n) => `persistent_timeout ${n}  (config/puma.rb)` },
  tomcat: { seconds: 60, setting: 'keepAliveTimeout (defaults to connectionTimeout)', fix: (n) => `<Connector … keepAliveTimeout="${n * 1000}"/>` },
  'tomcat-stock': { seconds: 20, setting: 'connectionTimeout in the stock server.xml', fix: (n) => `<Connector … connectionTimeout="20000" keepAliveTimeout="${n * 1000}"/>` },
  spring: { seconds: 60, setting: 'server.tomcat.keep-alive-timeout (falls back to Tomcat\'s 60 s)', fix: (n) => `server.tomcat.keep-alive-timeout=${n}s  (application.properties)` },
  iis: { seconds: 120, setting: 'limits@connectionTimeout', fix: (n) => `appcmd set config -section:system.applicationHost/sites -siteDefaults.limits.connectionTimeout:00:0${Math.floor(n / 60)}:${String(n % 60).padStart(2, '0')}` },
  go: { seconds: Infinity, setting: 'http.Server IdleTimeout (zero = ReadTimeout, both zero = never)', fix: (n) => `&http.Server{IdleTimeout: ${n} * time.Second}`, note: 'A zero-value http.Server never closes idle connections; a short ReadTimeout without IdleTimeout does.' },
  fastify: { seconds: 72, setting: 'keepAliveTimeout option', fix: (n) => `Fastify({ keepAliveTimeout: ${n * 1000} })  (ignored with serverFactory)` },
  caddy: { seconds: 300, setting: 'servers.timeouts.idle', fix: (n) => `servers { timeouts { idle ${n}s } }` },
};

function nodeDefault(version?: string): ServerDefault & { versionKnown: boolean } {
  const major = version ? Number(/\d+/.exec(version)?.[0]) : NaN;
  const seconds = Number.isFinite(major) && major >= 26 ? 65 : 5;
  return {
    seconds,
    versionKnown: Number.isFinite(major),
    setting: 'server.keepAliveTimeout',
    fix: (n) => `const server = app.listen(port);\nserver.keepAliveTimeout = ${n * 1000};\nserver.headersTimeout = ${(n + 1) * 1000};`,
    note: Number.isFinite(major)
      ? `Node ${major}: keepAliveTimeout defaults to ${seconds} s (65 s from Node 26).`
      : 'Node version not given: assuming ≤ 25, where keepAliveTimeout defaults to 5 s (65 s from Node 26).',
  };
}

export interface TimeoutChainEvidence {
  server?: string;
  nodeVersion?: string;
  keepAliveSeconds?: number;
  idleTimeoutSeconds: number;
  idleSource: 'param' | 'fact' | 'default';
  slowestRequestSeconds?: number;
  workerTimeoutSeconds?: number;
  /** The target group's type: a `lambda` group has no backend connection to keep alive. */
  targetType?: string;
  /** The function's timeout, when lambda.function has read it. */
  lambdaTimeoutSeconds?: number;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.replace(/s$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** lambda-functions.md: the ALB invokes the function and waits for it; the idle timeout is not applied. */
function lambdaTarget(ev: TimeoutChainEvidence): CheckResult {
  const fnTimeout = ev.lambdaTimeoutSeconds !== undefined ? `${ev.lambdaTimeoutSeconds} s` : 'its configured timeout (3 s by default)';
  return {
    status: 'pass', outcome: 'not-applicable',
    summary: `Lambda target: no keep-alive connection to race and no idle timeout applied; the ALB waits for the function up to ${fnTimeout}`,
    details: [
      `The ALB idle timeout (${ev.idleTimeoutSeconds} s) and the backend keep-alive do not apply to Lambda targets: each request is an invoke, not a pooled connection.`,
      `A function that runs past ${fnTimeout} is a 502 with error_reason LambdaUnhandled ("Task timed out" in /aws/lambda/<function>).`,
    ],
    findings: [{ cause: 'keepalive-race', confidence: 'ruled-out', evidence: ['the target group is of type lambda: the ALB holds no keep-alive connection to a backend that could close it'], strength: 'config' }],
  };
}

function evaluate(ev: TimeoutChainEvidence): CheckResult {
  if (ev.targetType === 'lambda') return lambdaTarget(ev);
  const idle = ev.idleTimeoutSeconds;
  const target = idle + 5;
  const server = (ev.server ?? '').toLowerCase() as Server;
  const known = (SERVERS as readonly string[]).includes(server) && server !== 'other';
  const idleNote = `ALB idle timeout ${idle} s${{ param: ' (as given)', fact: ' (from the load balancer)', default: ' (default; not read from the LB)' }[ev.idleSource]}`;
  if (!known && ev.keepAliveSeconds === undefined) {
    return {
      status: 'warn', outcome: 'unknown-server',
      summary: `Backend ${ev.server || '(not given)'} has no known keep-alive default: find its idle/keep-alive timeout and compare with ${idle} s`,
      details: [idleNote, `Rule: the backend must keep idle connections open longer than ${idle} s (e.g. ${target} s).`],
    };
  }
  const def = server === 'node' ? nodeDefault(ev.nodeVersion) : known ? DEFAULTS[server as keyof typeof DEFAULTS] : undefined;
  const ka = ev.keepAliveSeconds ?? def?.seconds ?? Infinity;
  const configured = ev.keepAliveSeconds !== undefined;
  const fix = def ? def.fix(target) : `set the backend's idle/keep-alive timeout to ${target} s`;
  const kaText = ka === Infinity ? 'never closes idle connections' : `${ka} s${configured ? ' (configured)' : ' (default)'}`;
  const details = [idleNote, `${server || 'backend'} keep-alive: ${kaText}${def ? ` — ${def.setting}` : ''}`];
  if (def?.note) details.push(def.note);
  const facts: Facts = { 'backend.fix': fix, 'backend.server': server || 'other' };
  if (ka !== Infinity) facts['backend.keepAliveSeconds'] = ka;
  const findings: Finding[] = [];
  // A verdict is as strong as its weakest input: a default idle timeout or keep-alive is assumed.
  const strength = ev.idleSource === 'default' || !configured ? 'assumed' : 'config';

  if (ka <= idle) {
    findings.push({
      cause: 'keepalive-race',
      // A configured value is a fact; a default may have been overridden somewhere.
      confidence: configured ? 'confirmed' : 'likely',
      evidence: [`backend keep-alive ${kaText} ≤ ${idleNote}: the backend closes idle connections the ALB may still reuse`],
      strength,
    });
    return {
      status: 'fail', outcome: 'race', facts, findings,
      summary: `Keep-alive race: ${server || 'backend'} closes idle connections after ${ka} s, the ALB reuses them for up to ${idle} s`,
      details: [...details, `Fix (keep-alive > ${idle} s):`, ...fix.split('\n').map((l) => `  ${l}`)],
    };
  }
  findings.push({ cause: 'keepalive-race', confidence: 'ruled-out', evidence: [`backend keep-alive ${kaText} > ${idleNote}`], strength });

  const worker = ev.workerTimeoutSeconds ?? (server === 'gunicorn' ? 30 : undefined);
  const slow = ev.slowestRequestSeconds;
  if (slow !== undefined && (slow >= idle || (worker !== undefined && slow >= worker))) {
    const why = slow >= idle
      ? `the slowest request (${slow} s) outlasts the ALB idle timeout (${idle} s): the ALB gives up (504) or the connection is cut`
      : `the slowest request (${slow} s) outlasts the worker timeout (${worker} s): the worker is killed mid-request and the ALB sees the connection close → 502`;
    findings.push({ cause: 'timeout-mismatch', confidence: 'likely', evidence: [why], strength });
    const mismatchFix = slow >= idle
      ? `raise idle_timeout.timeout_seconds above ${slow} s (and the backend keep-alive above that), or make the request faster/asynchronous`
      : server === 'gunicorn' ? `gunicorn --timeout ${Math.ceil(slow) + 10} …` : `raise the worker/request timeout above ${slow} s`;
    facts['backend.fix'] = mismatchFix;
    return { status: 'fail', outcome: 'timeout-mismatch', facts, findings, summary: why, details: [...details, `Fix: ${mismatchFix}`] };
  }
  return {
    status: 'pass', outcome: 'ok', facts, findings,
    summary: `${server || 'backend'} keep-alive ${kaText} outlasts the ALB idle timeout ${idle} s: no keep-alive race`,
    details,
  };
}

export const timeoutChain: Check<TimeoutChainEvidence> = {
  meta: {
    id: 'timeout.chain',
    title: 'Keep-alive and timeout chain: ALB idle timeout vs the backend server',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout',
    apis: [],
    params: {
      server: { description: `Backend server: ${SERVERS.join('|')}` },
      nodeVersion: { description: 'Node.js major version when server=node (e.g. 20 → 5 s default; ≥ 26 → 65 s)' },
      keepAliveSeconds: { description: 'The backend keep-alive/idle timeout if it is configured and known' },
      idleTimeoutSeconds: { description: 'ALB idle timeout; defaults to the fact lb.idleTimeoutSeconds, else 60' },
      slowestRequestSeconds: { description: 'Slowest legitimate request, if known (timeout-mismatch)' },
      workerTimeoutSeconds: { description: 'Worker/request timeout of the app server (gunicorn --timeout defaults to 30)' },
    },
    outcomes: ['race', 'ok', 'unknown-server', 'timeout-mismatch', 'not-applicable'],
    strength: 'config',
    causes: ['keepalive-race', 'timeout-mismatch'],
    facts: ['backend.keepAliveSeconds', 'backend.fix', 'backend.server'],
  },
  async collect(ctx) {
    const p = ctx.params;
    const fromParam = num(p.idleTimeoutSeconds);
    const fromFact = factNumber(ctx.facts, 'lb.idleTimeoutSeconds');
    const ev: TimeoutChainEvidence = { idleTimeoutSeconds: fromParam ?? fromFact ?? 60, idleSource: fromParam !== undefined ? 'param' : fromFact !== undefined ? 'fact' : 'default' };
    if (p.server) ev.server = p.server;
    if (p.nodeVersion) ev.nodeVersion = p.nodeVersion;
    const ka = num(p.keepAliveSeconds);
    if (ka !== undefined) ev.keepAliveSeconds = ka;
    const slow = num(p.slowestRequestSeconds);
    if (slow !== undefined) ev.slowestRequestSeconds = slow;
    const worker = num(p.workerTimeoutSeconds);
    if (worker !== undefined) ev.workerTimeoutSeconds = worker;
    if (ctx.facts['tg.targetType']) ev.targetType = String(ctx.facts['tg.targetType']);
    const fnTimeout = factNumber(ctx.facts, 'lambda.timeoutSeconds');
    if (ev.targetType === 'lambda' && fnTimeout !== undefined) ev.lambdaTimeoutSeconds = fnTimeout;
    return ev;
  },
  evaluate: (ev) => evaluate(ev),
};
