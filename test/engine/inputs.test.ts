import { describe, expect, it } from 'vitest';
import { durationSeconds, parseInput, parseTimestamp } from '../../src/engine/inputs.js';

const now = new Date('2026-11-21T14:30:00Z');

describe('typed inputs', () => {
  it.each([
    ['now', '2026-11-21T14:30:00.000Z'],
    ['30m ago', '2026-11-21T14:00:00.000Z'],
    ['-2h', '2026-11-21T12:30:00.000Z'],
    ['14:05', '2026-11-21T14:05:00.000Z'],
    ['23:10', '2026-11-20T23:10:00.000Z'],
    ['2026-11-21 09:15', '2026-11-21T09:15:00.000Z'],
    ['2026-11-21T09:15:30+09:00', '2026-11-21T00:15:30.000Z'],
  ])('reads the time %s', (text, iso) => {
    expect(parseTimestamp(text, now)).toMatchObject({ ok: true, value: iso });
  });

  it.each(['yesterday', '25:00', '2026-13-40', '2027-01-01T00:00Z', ''])('rejects %j with a hint', (text) => {
    const r = parseTimestamp(text, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/30m ago|future/);
  });

  it('normalises URLs and refuses what is not one', () => {
    expect(parseInput('url', 'shop.example.com/cart', now)).toEqual({ ok: true, value: 'https://shop.example.com/cart' });
    expect(parseInput('url', 'ftp://x', now).ok).toBe(false);
    expect(parseInput('url', 'http://', now).ok).toBe(false);
  });

  it('checks durations, ports, regions and ARNs', () => {
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('2h')).toBe(7200);
    expect(parseInput('duration', 'two hours', now).ok).toBe(false);
    expect(parseInput('port', '0', now).ok).toBe(false);
    expect(parseInput('port', '443', now)).toEqual({ ok: true, value: '443' });
    expect(parseInput('region', 'ap-northeast-1', now).ok).toBe(true);
    expect(parseInput('region', 'tokyo', now).ok).toBe(false);
    expect(parseInput('arn', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/abc', now).ok).toBe(true);
    expect(parseInput('arn', 'my-alb', now).ok).toBe(false);
  });
});
