import { processIo, reportError } from './commands/io.js';
import { BadgateError } from './engine/errors.js';
import { parseCommandLine } from './commands/args.js';
import { checkTargetFlags } from './commands/target-flags.js';

// `badgate sessions | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// Commands load on demand: `badgate --help` should not wait for the AWS SDK to load.
// Ink renders only a final frame when it thinks it runs in CI; the wizard needs a live
// screen whenever a person is at a terminal, so a stray CI=true must not blank it.
const liveScreen = () => {
  if (process.stdin.isTTY && process.stdout.isTTY) {
    process.env.CI = 'false';
    process.env.CONTINUOUS_INTEGRATION = 'false';
  }
};
const run = () => {
  liveScreen();
  return import('./commands/run.js');
};

// The SDK warns on every run that its future releases need Node 22; Node 20 is our documented floor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `
  Usage
    $ badgate                         start, resume or replay an investigation (interactive)
    $ badgate run <flow>              walk a flow interactively (flows: alb, nginx, appgw, cloudfront, clb, nlb, apigw)
    $ badgate check <flow>            headless: run every automatic check, print causes
    $ badgate probe <url>             probe a URL: DNS, TCP, HTTP, TLS, gateway fingerprint
    $ badgate logs <source>           analyse ALB/CLB or App Gateway access logs, or an nginx error log
                                      (file, folder, glob, - for stdin, or s3://bucket/prefix)
    $ badgate resume [session]        continue an unfinished session
    $ badgate sessions                list sessions
    $ badgate report <session>        write the markdown postmortem of a session
    $ badgate drill [scenario]        training: list the drills, or run one against a simulated incident
    $ badgate drill --facilitator <s> the answer sheet of a drill, for whoever runs the game day
    $ badgate drill import <rec.json> --cause ID   turn a recording (run --record) into a drill
    $ badgate lab keepalive           live lab on 127.0.0.1: the keep-alive race behind an ALB, then its fix
    $ badgate flows lint [files]      validate flow files and drill scenarios
    $ badgate flows schema            print the JSON schema of flow files
    $ badgate iam-policy              print the read-only IAM policy badgate needs
                                      (--with athena adds what logs --athena needs)

  Targeting (run, check)
    --lb NAME|ARN|DNS     the load balancer        --url URL        an affected URL
    --profile P           AWS profile (SSO ok)     --region R       AWS region
    --since 2h            incident window for metrics and logs (default 3h)
    --replay FILE         answer AWS calls from a recording (no network)
    --aws-timeout S       bound on each AWS request (default 30; connecting at most 5)
    --record FILE         record every answer of this run (AWS, probes, DNS, logs) to FILE
                          (credentials never stored); --replay FILE plays it back offline

  nginx flow (run, check): --config FILE (output of "nginx -v; nginx -T", or nginx.conf)
                          --error-log FILE (the nginx error log); no AWS calls
  cloudfront flow (run, check): --distribution ID (or --url https://www.example.com/path)
  apigw flow (run, check): --api ID [--stage S] (or --url https://ID.execute-api.REGION.amazonaws.com/STAGE/path)
  Targeting (appgw: Azure Application Gateway, after az login)
    --subscription S      Azure subscription id    --resource-group G   its resource group
    --name N              the Application Gateway  --access-log FILE    exported access log (JSON lines)

  check:   --answer id=value (repeatable)  --json  --report FILE
  report:  --format google|pagerduty|markdown (layout; default google)  --json  --out FILE
           --print-commands (the session's fix and verify commands, one a line, to paste)
           --redact (mask account ids, IPs, ARNs, resource ids, LB and target group names)
           --reevaluate (re-run every check's evaluate on the evidence the session kept)
  logs:    --since 2h|ISO  --until ISO  --lb NAME  --top N  --jobs N  --athena  --json
           --no-limit (read gzip files that expand more than 200x, which logs never do)
  probe:   --keepalive  --count N  --idle-timeout S  --json  --sni NAME  --ca-file FILE
  run:     --out FILE (where the postmortem goes; default ./postmortem-<session>.md)
  drill:   --facilitator  --json  --out FILE (the debrief; default ./debrief-<session>.md)
           import: --cause ID  --session ID (take its answers)  --keep-names (no masking)  --out FILE
  lab:     --scale F  --idle-timeout S  --keepalive-timeout S  --duration 5m  --max-requests N  --out FILE

  Sessions are journals under $XDG_STATE_HOME/badgate (or ~/.local/state/badgate);
  set BADGATE_STATE_DIR to use another folder.
`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : '';
  try {
    return await dispatch();
  } catch (err) {
    return reportError(err, processIo, { command: ['drill', 'flows', 'lab'].includes(command) && argv[argv.indexOf(command) + 1] === 'import' ? `${command} import` : command, json });
  }
}

/** With only --url given, the gateway that made the URL's error picks the flow. */
async function flowFor(url: string | undefined, io: typeof processIo, aws: { profile?: string; region?: string; awsTimeout?: number } = {}): Promise<string | undefined> {
  if (!url) return undefined;
  const { flowForUrl, awsForPick } = await import('./commands/pick-flow.js');
  const choice = await flowForUrl(url, { progress: (m) => io.err(m), aws: awsForPick(aws) });
  io.err(choice.why);
  return choice.flow;
}

async function dispatch(): Promise<number> {
  const { command, args, flags: f } = parseCommandLine(process.argv.slice(2));
  if (f.help || command === 'help') {
    process.stdout.write(`${HELP.trimEnd()}\n`);
    return 0;
  }
  if (f.version) {
    process.stdout.write(`${(await import('./commands/version.js')).version()}\n`);
    return 0;
  }
  const io = processIo;
  // `logs` takes --since/--until of its own and checks them itself; probe takes no targeting flags.
  if (command !== 'logs') checkTargetFlags(f);
  const target = { lb: f.lb, url: f.url, profile: f.profile, region: f.region, since: f.since, replay: f.replay, record: f.record, awsTimeout: f.awsTimeout, config: f.config, errorLog: f.errorLog, subscription: f.subscription, resourceGroup: f.resourceGroup, name: f.name, accessLog: f.accessLog, distribution: f.distribution, api: f.api, stage: f.stage };
  switch (command) {
    case undefined:
      return (await run()).homeCommand({ ...target, out: f.out }, io);
    case 'run':
      return (await run()).runCommand(args[0] ?? await flowFor(f.url, io, f) ?? 'alb', { ...target, out: f.out }, io);
    case 'resume':
      return (await run()).resumeCommand(args[0], { ...target, out: f.out }, io);
    case 'check':
      return (await import('./commands/check.js')).checkCommand(args[0] ?? await flowFor(f.url, io, f), { ...target, answer: f.answer, json: f.json, report: f.report }, io);
    case 'sessions':
      return (await import('./commands/sessions.js')).sessionsCommand(io, { json: f.json });
    case 'report':
      return (await import('./commands/report.js')).reportCommand(args[0], { json: f.json, redact: f.redact, out: f.out, reevaluate: f.reevaluate, format: f.format, printCommands: f.printCommands }, io);
    case 'drill': {
      if (!args.length && !f.facilitator) return (await import('./commands/quick.js')).drillListCached(Boolean(f.json), io);
      liveScreen();
      const { drillCommand } = await import('./commands/drill.js');
      return drillCommand(args, { facilitator: f.facilitator, json: f.json, out: f.out, cause: f.cause, session: f.session, keepNames: f.keepNames }, io);
    }
    case 'lab':
      return (await import('./commands/lab.js')).labCommand(args, { scale: f.scale, idleTimeout: f.idleTimeout, keepaliveTimeout: f.keepaliveTimeout, duration: f.duration, maxRequests: f.maxRequests, out: f.out }, io);
    case 'flows':
      if (args[0] === 'lint') return (await import('./commands/quick.js')).flowsLintCached(args.slice(1), io);
      return (await import('./commands/flows.js')).flowsCommand(args[0], args.slice(1), io);
    case 'iam-policy': {
      const policy = await import('./checks/iam-policy.js');
      const extra = args[0] === 'athena' || f.with === 'athena';
      if (f.with !== undefined && f.with !== 'athena') throw new BadgateError(`--with ${f.with}: the only extra is athena`, 'badgate iam-policy --with athena');
      const p = policy.buildIamPolicy();
      io.out(JSON.stringify(extra ? { ...p, Statement: [...p.Statement, ...policy.athenaStatements()] } : p, null, 2));
      return 0;
    }
    case 'logs':
      return (await import('./commands/logs.js')).runLogsCommand({
        source: args[0] ?? '', since: f.since, until: f.until, lb: f.lb, json: Boolean(f.json), top: f.top, jobs: f.jobs, athena: f.athena, profile: f.profile, region: f.region, noLimit: f.noLimit,
      }, { ...io, stdin: process.stdin, isTTY: Boolean(process.stderr.isTTY) });
    case 'probe': {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      return (await import('./commands/probe.js')).runProbeCommand({ url: args[0] ?? '', keepalive: Boolean(f.keepalive), count: f.count ?? 1, idleTimeoutSeconds: f.idleTimeout, json: Boolean(f.json), sni: f.sni, caFile: f.caFile, signal: ac.signal }, io);
    }
    default:
      throw new BadgateError(`unknown command "${command}"`, '`badgate --help` lists the commands');
  }
}

/**
 * The command is done when it returns: a request still hanging on a silent endpoint, or a socket
 * a probe left open, must not keep the process alive after `q`, Ctrl+C or the last line.
 */
function finish(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main().then(
  finish,
  (err: unknown) => {
    // Last resort: an unexpected bug still gets one line, not a stack trace (BADGATE_DEBUG=1 shows it).
    process.stderr.write(`badgate: unexpected error: ${(err as Error)?.message ?? String(err)}\n  next: re-run with BADGATE_DEBUG=1 and report it\n`);
    if (process.env.BADGATE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    finish(2);
  },
);
