import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';

/** One name's records; `rcode` answers every query for the name with that code (2 = SERVFAIL). */
export interface ZoneEntry {
  cname?: string;
  a?: string[];
  aaaa?: string[];
  rcode?: number;
}

const A = 1;
const CNAME = 5;
const AAAA = 28;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function rr(name: string, type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // IN
  fixed.writeUInt32BE(60, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), fixed, rdata]);
}

function ipv4(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

function ipv6(ip: string): Buffer {
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function readQuestion(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (msg[i] !== 0) {
    const len = msg[i];
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

/** Answers like a recursive server: CNAMEs followed inside the zone, NXDOMAIN for unknown names. */
function answer(zone: Record<string, ZoneEntry>, name: string, type: number): { rcode: number; answers: Buffer[] } {
  const answers: Buffer[] = [];
  let current = name;
  for (let hops = 0; hops < 16; hops++) {
    const entry = zone[current];
    if (!entry) return { rcode: 3, answers };
    if (entry.rcode) return { rcode: entry.rcode, answers };
    if (entry.cname) {
      answers.push(rr(current, CNAME, encodeName(entry.cname)));
      if (type === CNAME) return { rcode: 0, answers };
      current = entry.cname.toLowerCase();
      continue;
    }
    if (type === A) for (const ip of entry.a ?? []) answers.push(rr(current, A, ipv4(ip)));
    if (type === AAAA) for (const ip of entry.aaaa ?? []) answers.push(rr(current, AAAA, ipv6(ip)));
    return { rcode: 0, answers };
  }
  return { rcode: 2, answers: [] };
}

export interface MiniDns {
  port: number;
  /** Queries seen, as "TYPE name". */
  queries: string[];
  resolver(): Resolver;
  close(): Promise<void>;
}

/** A tiny UDP DNS responder on 127.0.0.1 serving `zone` (A, AAAA, CNAME). */
export async function startMiniDns(zone: Record<string, ZoneEntry>): Promise<MiniDns> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = readQuestion(msg);
    queries.push(`${q.type === A ? 'A' : q.type === AAAA ? 'AAAA' : q.type === CNAME ? 'CNAME' : q.type} ${q.name}`);
    const { rcode, answers } = answer(zone, q.name, q.type);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    const rd = msg.readUInt16BE(2) & 0x0100;
    header.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2); // QR, AA, RD (echo), RA
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, msg.subarray(12, q.end), ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = (socket.address() as AddressInfo).port;
  return {
    port,
    queries,
    resolver: () => {
      const r = new Resolver({ timeout: 1000, tries: 1 });
      r.setServers([`127.0.0.1:${port}`]);
      return r;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
