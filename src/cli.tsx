import meow from 'meow';
import { fail, processIo } from './commands/io.js';

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
    $ badgate run <flow>              walk a flow interactively (flow: alb)
    $ badgate check <flow>            headless: run every automatic check, print causes
    $ badgate probe <url>             probe a URL: DNS, TCP, HTTP, TLS, gateway fingerprint
    $ badgate logs <source>           analyse ALB/CLB access logs or an nginx error log
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

  Targeting (run, check)
    --lb NAME|ARN|DNS     the load balancer        --url URL        an affected URL
    --profile P           AWS profile (SSO ok)     --region R       AWS region
    --since 2h            incident window for metrics and logs (default 3h)
    --replay FILE         answer AWS calls from a recording (no network)
    --record FILE         record every AWS answer of this run to FILE (credentials never stored)

  check:   --answer id=value (repeatable)  --json  --report FILE
  report:  --json  --redact (mask account ids, IPs, ARNs)  --out FILE
  logs:    --since 2h|ISO  --until ISO  --lb NAME  --top N  --athena  --json
  probe:   --keepalive  --count N  --idle-timeout S  --json  --sni NAME  --ca-file FILE
  run:     --out FILE (where the postmortem goes; default ./postmortem-<session>.md)
  drill:   --facilitator  --json  --out FILE (the debrief; default ./debrief-<session>.md)
           import: --cause ID  --session ID (take its answers)  --keep-names (no masking)  --out FILE
  lab:     --scale F  --idle-timeout S  --keepalive-timeout S  --duration 5m  --max-requests N  --out FILE

  Sessions are journals under $XDG_STATE_HOME/badgate (or ~/.local/state/badgate);
  set BADGATE_STATE_DIR to use another folder.
`;

async function main(): Promise<number> {
  const cli = meow(HELP, {
    importMeta: import.meta,
    allowUnknownFlags: false,
    flags: {
      lb: { type: 'string' },
      url: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      since: { type: 'string' },
      replay: { type: 'string' },
      record: { type: 'string' },
      answer: { type: 'string', isMultiple: true },
      json: { type: 'boolean' },
      report: { type: 'string' },
      redact: { type: 'boolean' },
      out: { type: 'string' },
      keepalive: { type: 'boolean' },
      count: { type: 'number' },
      idleTimeout: { type: 'number' },
      until: { type: 'string' },
      top: { type: 'number' },
      athena: { type: 'boolean' },
      facilitator: { type: 'boolean' },
      cause: { type: 'string' },
      session: { type: 'string' },
      keepNames: { type: 'boolean' },
      scale: { type: 'number' },
      keepaliveTimeout: { type: 'number' },
      duration: { type: 'string' },
      maxRequests: { type: 'number' },
      sni: { type: 'string' },
      caFile: { type: 'string' },
    },
  });
  const [command, ...args] = cli.input;
  const f = cli.flags;
  const io = processIo;
  const target = { lb: f.lb, url: f.url, profile: f.profile, region: f.region, since: f.since, replay: f.replay, record: f.record };
  switch (command) {
    case undefined:
      return (await run()).homeCommand({ ...target, out: f.out }, io);
    case 'run':
      return (await run()).runCommand(args[0] ?? 'alb', { ...target, out: f.out }, io);
    case 'resume':
      return (await run()).resumeCommand(args[0], { ...target, out: f.out }, io);
    case 'check':
      return (await import('./commands/check.js')).checkCommand(args[0], { ...target, answer: f.answer, json: f.json, report: f.report }, io);
    case 'sessions':
      return (await import('./commands/sessions.js')).sessionsCommand(io, { json: f.json });
    case 'report':
      return (await import('./commands/report.js')).reportCommand(args[0], { json: f.json, redact: f.redact, out: f.out }, io);
    case 'drill': {
      liveScreen();
      const { drillCommand } = await import('./commands/drill.js');
      return drillCommand(args, { facilitator: f.facilitator, json: f.json, out: f.out, cause: f.cause, session: f.session, keepNames: f.keepNames }, io);
    }
    case 'lab':
      return (await import('./commands/lab.js')).labCommand(args, { scale: f.scale, idleTimeout: f.idleTimeout, keepaliveTimeout: f.keepaliveTimeout, duration: f.duration, maxRequests: f.maxRequests, out: f.out }, io);
    case 'flows':
      return (await import('./commands/flows.js')).flowsCommand(args[0], args.slice(1), io);
    case 'iam-policy':
      io.out(JSON.stringify((await import('./checks/iam-policy.js')).buildIamPolicy(), null, 2));
      return 0;
    case 'logs':
      return (await import('./commands/logs.js')).runLogsCommand({
        source: args[0] ?? '', since: f.since, until: f.until, lb: f.lb, json: Boolean(f.json), top: f.top, athena: f.athena, profile: f.profile, region: f.region,
      }, { ...io, stdin: process.stdin, isTTY: Boolean(process.stderr.isTTY) });
    case 'probe': {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      return (await import('./commands/probe.js')).runProbeCommand({ url: args[0] ?? '', keepalive: Boolean(f.keepalive), count: f.count ?? 1, idleTimeoutSeconds: f.idleTimeout, json: Boolean(f.json), sni: f.sni, caFile: f.caFile, signal: ac.signal }, io);
    }
    default:
      return fail(io, '', `unknown command "${command}"`, '`badgate --help` lists the commands');
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Last resort: an unexpected bug still gets one line, not a stack trace (BADGATE_DEBUG=1 shows it).
    process.stderr.write(`badgate: unexpected error: ${(err as Error)?.message ?? String(err)}\n  next: re-run with BADGATE_DEBUG=1 and report it\n`);
    if (process.env.BADGATE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    process.exitCode = 2;
  },
);
