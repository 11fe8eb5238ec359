import type { Check } from './types.js';

interface Evidence {
  port: number;
  listening: { address: string; file: string }[];
  readable: string[];
}

const TCP_LISTEN = '0A';

/** Parses /proc/net/tcp{,6}: `sl local_address rem_address st …`, addresses in hex. */
export function listeningSockets(procText: string, port: number): string[] {
  const hits: string[] = [];
  for (const line of procText.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[3] !== TCP_LISTEN) continue;
    const [addrHex, portHex] = cols[1].split(':');
    if (parseInt(portHex, 16) === port) hits.push(addrHex.length === 8 ? hexToIpv4(addrHex) : `[${addrHex}]`);
  }
  return hits;
}

function hexToIpv4(hex: string): string {
  // /proc stores IPv4 in host byte order (little-endian on the machines we run on).
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/**
 * Run on a target itself: is anything listening on the backend port? Nothing
 * listening means the ALB gets a RST on connect and answers 502.
 */
export const localPortListening: Check<Evidence> = {
  meta: {
    id: 'local.port-listening',
    title: 'Something listens on the backend port (this host)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#http-502-issues',
    apis: ['probe:local-sockets'],
    params: { port: { description: 'TCP port the target group sends traffic to', required: true } },
    outcomes: ['listening', 'not-listening'],
    causes: ['target-not-listening'],
    facts: ['local.listening'],
  },
  async collect(ctx) {
    const port = Number(ctx.params.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${ctx.params.port}" is not a TCP port`);
    ctx.progress(`reading /proc/net/tcp for port ${port}`);
    const listening: Evidence['listening'] = [];
    const readable: string[] = [];
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      try {
        const text = await ctx.env.files.readText(file);
        readable.push(file);
        for (const address of listeningSockets(text, port)) listening.push({ address, file });
      } catch {
        // Not Linux, or /proc hidden: evaluate reports unknown when no table was readable.
      }
    }
    return { port, listening, readable };
  },
  evaluate(e) {
    if (!e.readable.length) {
      return { status: 'unknown', outcome: 'unknown', summary: 'Cannot read the socket tables (/proc/net/tcp) on this host', nextStep: `run \`ss -ltnp | grep :${e.port}\` on the target` };
    }
    if (e.listening.length) {
      return {
        status: 'pass', outcome: 'listening', summary: `Port ${e.port} is listening on ${e.listening.map((l) => l.address).join(', ')}`,
        facts: { 'local.listening': true },
        findings: [{ cause: 'target-not-listening', confidence: 'ruled-out', evidence: [`port ${e.port} is in LISTEN state on this host`] }],
      };
    }
    return {
      status: 'fail', outcome: 'not-listening', summary: `Nothing listens on port ${e.port} on this host`,
      details: [`checked ${e.readable.join(', ')}`, 'Start the app, or point the target group at the port it really listens on.'],
      facts: { 'local.listening': false },
      findings: [{ cause: 'target-not-listening', confidence: 'confirmed', evidence: [`no socket in LISTEN state on port ${e.port} (${e.readable.join(', ')})`] }],
    };
  },
};
