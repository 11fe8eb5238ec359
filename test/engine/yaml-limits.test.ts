import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/load-flow.js';

// Hostile inputs for the flow loader (the same parser reads the catalog and drill scenarios).
describe('YAML limits', () => {
  it('a billion-laughs alias bomb is refused with a clear message', () => {
    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const r = parseFlow(lol.join('\n'), 'bomb.yaml');
    expect(r.flow).toBeUndefined();
    expect(r.messages[0]).toMatchObject({ file: 'bomb.yaml', message: expect.stringContaining('aliases') });
  });

  it('a flat map of 200k keys is read in linear time (no quadratic duplicate check) and duplicates are still found', () => {
    const big = Array.from({ length: 200_000 }, (_v, i) => `k${i}: 1`).join('\n');
    // The quadratic check took minutes here, past the test's timeout; the schema then rejects the map.
    const r = parseFlow(big, 'flat.yaml');
    expect(r.messages.length).toBeGreaterThan(0);
    const dup = parseFlow('id: a\ntitle: t\nid: b\n', 'dup.yaml');
    expect(dup.messages).toEqual([expect.objectContaining({ line: 3, col: 1, message: 'duplicate key "id"' })]);
  });

  it('a file over the size cap is refused before parsing', () => {
    const r = parseFlow(`x: "${'a'.repeat(9 * 1024 * 1024)}"`, 'huge.yaml');
    expect(r.messages[0].message).toMatch(/more than the 8 MB/);
  });

  it('deep nesting is a message, not a stack overflow', () => {
    const r = parseFlow(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'deep.yaml');
    expect(r.flow).toBeUndefined();
    expect(r.messages.length).toBeGreaterThan(0);
  });
});
