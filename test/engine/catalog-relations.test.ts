import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/engine/catalog.js';
import { causeRelations } from '../../src/engine/causes.js';
import { CATALOG_FILE, loadCatalog } from '../../src/flow-files.js';

describe('cause relations in the catalog', () => {
  it('the shipped catalog marks the health states as symptoms and says which causes explain them', () => {
    const r = causeRelations(loadCatalog());
    expect(r.kind('all-targets-unhealthy')).toBe('symptom');
    expect(r.kind('nacl-blocks-traffic')).toBe('cause');
    expect(r.explains('nacl-blocks-traffic').has('all-targets-unhealthy')).toBe(true);
    // Through target-crashed-or-overloaded, which it explains too.
    expect(r.explains('server-resource-exhaustion').has('all-targets-unhealthy')).toBe(true);
  });

  it('lint rejects an unknown id and a circle in explains, with file:line:col', () => {
    const text = readFileSync(CATALOG_FILE, 'utf8');
    const unknown = parseCatalog(text.replace('explains: [all-targets-unhealthy, no-healthy-targets-yet]', 'explains: [all-targets-unhealthy, no-such-cause]'), 'c.yaml');
    expect(unknown.messages).toEqual([expect.objectContaining({ file: 'c.yaml', line: expect.any(Number), message: expect.stringContaining('unknown cause "no-such-cause"') })]);
    const circle = parseCatalog(text.replace('    kind: symptom\n', '    kind: symptom\n    explains: [health-check-misconfigured]\n'), 'c.yaml');
    expect(circle.messages.map((m) => m.message)).toEqual(expect.arrayContaining([expect.stringContaining('explain each other')]));
  });
});
