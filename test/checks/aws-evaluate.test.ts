// `evaluate` from JSON fixtures: evidence in, the verdict a responder would see out.
// Covers what moto cannot produce (impaired instances, IP targets, peered routes, metrics mixes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsChecks } from '../../src/checks/aws.js';
import type { Facts } from '../../src/engine/vocabulary.js';

interface Fixture {
  check: string;
  description?: string;
  params?: Record<string, string>;
  facts?: Facts;
  evidence: unknown;
  expect: {
    status: string;
    outcome: string;
    facts?: Facts;
    findings?: { cause: string; confidence: string }[];
    summaryContains?: string;
    detailsContain?: string[];
    /** Text some finding's evidence must hold (e.g. the one broken target group's name). */
    evidenceContains?: string;
  };
}

const dir = join(import.meta.dirname, '../fixtures/aws');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture] as const);

describe('aws check evaluate() from fixtures', () => {
  it('has fixtures for every check but whoami', () => {
    const covered = new Set(fixtures.map(([, f]) => f.check));
    for (const c of awsChecks) if (c.meta.id !== 'sts.whoami') expect(covered, c.meta.id).toContain(c.meta.id);
  });

  it.each(fixtures)('%s', (_file, fx) => {
    const check = awsChecks.find((c) => c.meta.id === fx.check);
    expect(check, fx.check).toBeDefined();
    const r = check?.evaluate(fx.evidence, { params: fx.params ?? {}, facts: fx.facts ?? {} });
    expect(r?.status).toBe(fx.expect.status);
    expect(r?.outcome).toBe(fx.expect.outcome);
    expect([...(check?.meta.outcomes ?? []), 'unknown']).toContain(r?.outcome);
    if (fx.expect.facts) expect(r?.facts).toMatchObject(fx.expect.facts);
    for (const f of fx.expect.findings ?? []) expect(r?.findings).toContainEqual(expect.objectContaining(f));
    if (fx.expect.summaryContains) expect(r?.summary).toContain(fx.expect.summaryContains);
    const details = (r?.details ?? []).join('\n');
    for (const d of fx.expect.detailsContain ?? []) expect(details).toContain(d);
    if (fx.expect.evidenceContains) expect((r?.findings ?? []).flatMap((f) => f.evidence).join('\n')).toContain(fx.expect.evidenceContains);
    // Facts a check sets must be declared, so the flow linter can resolve them.
    for (const k of Object.keys(r?.facts ?? {})) expect(check?.meta.facts ?? []).toContain(k);
  });
});
