import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netChecks } from '../../src/checks/net.js';
import type { CheckResult } from '../../src/engine/vocabulary.js';

interface Fixture {
  check: string;
  note?: string;
  evidence: unknown;
  params?: Record<string, string>;
  expect: {
    status: CheckResult['status'];
    outcome: string;
    facts?: Record<string, string | number | boolean>;
    findings?: { cause: string; confidence: string }[];
    detailsInclude?: string;
    /** Text that must not be in the details (another backend's fix). */
    detailsExclude?: string;
    summaryIncludes?: string;
  };
}

const dir = new URL('../fixtures/net/evidence/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Fixture) }));

describe('net checks evaluate recorded evidence', () => {
  it('has fixtures for every net check but the fingerprint (tested from pasted responses)', () => {
    const covered = new Set(fixtures.map((f) => f.check));
    for (const c of netChecks) if (c.meta.id !== 'net.fingerprint') expect(covered).toContain(c.meta.id);
  });

  it.each(fixtures)('$file', (f) => {
    const check = netChecks.find((c) => c.meta.id === f.check);
    expect(check, f.check).toBeDefined();
    const result = check!.evaluate(f.evidence, { params: f.params ?? {}, facts: {} });
    expect(result.status).toBe(f.expect.status);
    expect(result.outcome).toBe(f.expect.outcome);
    expect([...check!.meta.outcomes, 'unknown']).toContain(result.outcome);
    for (const name of Object.keys(result.facts ?? {})) expect(check!.meta.facts).toContain(name);
    if (f.expect.facts) expect(result.facts).toMatchObject(f.expect.facts);
    if (f.expect.findings) {
      expect(result.findings?.map((x) => ({ cause: x.cause, confidence: x.confidence }))).toEqual(f.expect.findings);
      for (const finding of result.findings ?? []) expect(finding.evidence.length).toBeGreaterThan(0);
    }
    if (f.expect.detailsInclude) expect((result.details ?? []).join('\n')).toContain(f.expect.detailsInclude);
    if (f.expect.detailsExclude) expect((result.details ?? []).join('\n')).not.toContain(f.expect.detailsExclude);
    if (f.expect.summaryIncludes) expect(result.summary).toContain(f.expect.summaryIncludes);
    expect(result.sources?.length ?? 0).toBeGreaterThan(0);
    expect(result.summary).not.toMatch(/\n|undefined/);
  });
});

describe('net check metadata', () => {
  it('ids are unique, apis are probes, required params are declared', () => {
    const ids = netChecks.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['net.dns', 'net.fingerprint', 'net.http-probe', 'net.keepalive', 'net.tcp-connect', 'net.tls']);
    for (const c of netChecks) {
      expect(c.meta.apis.length).toBeGreaterThan(0);
      for (const api of c.meta.apis) expect(api).toMatch(/^probe:(http|tcp|tls|dns)$/);
      expect(c.meta.docs).toMatch(/^https:\/\//);
    }
  });
});
