import { describe, expect, it } from 'vitest';
import { board } from '../../src/engine/board.js';
import { causeRelations } from '../../src/engine/causes.js';
import type { FindingEntry } from '../../src/engine/session.js';
import type { Confidence, Strength } from '../../src/engine/vocabulary.js';
import { loadCatalog } from '../../src/flow-files.js';

const relations = causeRelations(loadCatalog());
let clock = 0;
const f = (cause: string, confidence: Confidence, strength: Strength, evidence: string, source = 'n'): FindingEntry =>
  ({ cause, confidence, evidence: [evidence], node: source, at: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(), via: strength === 'answer' ? 'answer' : 'check', strength, ...(strength === 'answer' ? {} : { check: source }) });

describe('the hypothesis board', () => {
  it('ranks the cause that explains a symptom above it, even when the symptom is better established', () => {
    const entries = board({ findings: [
      f('all-targets-unhealthy', 'confirmed', 'measured', '0/2 targets healthy (Target.Timeout)', 'elbv2.target-health'),
      f('nacl-blocks-traffic', 'likely', 'config', 'acl-1 denies 10.0.0.0/16 on 1024-65535 inbound', 'ec2.network-path'),
    ] }, relations);
    expect(entries.map((e) => e.cause)).toEqual(['nacl-blocks-traffic', 'all-targets-unhealthy']);
    expect(entries[1]).toMatchObject({ kind: 'symptom', explainedBy: ['nacl-blocks-traffic'] });
  });

  it('a symptom with no standing cause to explain it still leads', () => {
    const entries = board({ findings: [
      f('all-targets-unhealthy', 'confirmed', 'measured', '0/2 healthy'),
      f('nacl-blocks-traffic', 'ruled-out', 'config', 'NACLs allow both directions'),
    ] }, relations);
    expect(entries[0]).toMatchObject({ cause: 'all-targets-unhealthy', explainedBy: [] });
  });

  it('an assumed default never overturns a measurement, and the disagreement is shown as a conflict', () => {
    const [e] = board({ findings: [
      f('keepalive-race', 'confirmed', 'measured', 'the backend closed the idle connection after 5.0 s (FIN)', 'net.keepalive'),
      f('keepalive-race', 'ruled-out', 'assumed', 'backend keep-alive 75 s (default) > ALB idle timeout 60 s (default; not read from the LB)', 'timeout.chain'),
    ] }, relations);
    expect(e).toMatchObject({ confidence: 'confirmed', strength: 'measured' });
    expect(e.conflict).toMatchObject({ kept: 'for', because: 'stronger' });
    expect(e.conflict?.against[0]).toMatchObject({ strength: 'assumed', source: 'timeout.chain' });
    expect(e.items[0].strength).toBe('measured');
  });

  it('a responder\'s "nothing listens" does not confirm what the API measured as listening', () => {
    const [e] = board({ findings: [
      f('target-not-listening', 'ruled-out', 'measured', '2/2 targets pass the ALB\'s health checks on their traffic port', 'elbv2.target-health'),
      f('target-not-listening', 'confirmed', 'answer', 'ss shows nothing on port 8080', 'port-check'),
    ] }, relations);
    expect(e.confidence).toBe('ruled-out');
    expect(e.conflict).toMatchObject({ kept: 'against', because: 'stronger' });
  });

  it('between equally strong findings the latest word stands, as before', () => {
    const [e] = board({ findings: [f('keepalive-race', 'likely', 'measured', 'a'), f('keepalive-race', 'ruled-out', 'measured', 'b')] }, relations);
    expect(e.confidence).toBe('ruled-out');
    expect(e.conflict?.because).toBe('latest');
    expect(board({ findings: [f('keepalive-race', 'ruled-out', 'config', 'a'), f('keepalive-race', 'suspected', 'measured', 'b')] }, relations)[0].confidence).toBe('suspected');
  });
});
