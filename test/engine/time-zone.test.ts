import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/engine/inputs.js';

// 2026-12-01 13:30 UTC is 22:30 in Tokyo (JST, UTC+9, no DST).
const now = new Date('2026-12-01T13:30:00Z');

describe('times with zones, as a responder in Tokyo types them', () => {
  it.each([
    ['22:05 JST', '2026-12-01T13:05:00.000Z', '22:05 JST = 13:05 UTC'],
    ['22:05+09:00', '2026-12-01T13:05:00.000Z', '22:05 +09:00 = 13:05 UTC'],
    ['22:05 +0900', '2026-12-01T13:05:00.000Z', '22:05 +09:00 = 13:05 UTC'],
    ['22:05 Asia/Tokyo', '2026-12-01T13:05:00.000Z', '22:05 Asia/Tokyo = 13:05 UTC'],
    ['13:05Z', '2026-12-01T13:05:00.000Z', '13:05 UTC'],
    ['2026-12-01 22:05 JST', '2026-12-01T13:05:00.000Z', '2026-12-01 22:05 JST = 2026-12-01 13:05 UTC'],
  ])('%s is %s, echoed as "%s"', (typed, iso, label) => {
    expect(parseTimestamp(typed, now, 'UTC')).toEqual({ ok: true, value: iso, label });
  });

  it('a bare time is read in the terminal\'s zone (TZ=Asia/Tokyo), not as UTC', () => {
    expect(parseTimestamp('22:05', now, 'Asia/Tokyo')).toEqual({ ok: true, value: '2026-12-01T13:05:00.000Z', label: '22:05 Asia/Tokyo = 13:05 UTC' });
    // Before midnight in Tokyo, 23:50 is yesterday's.
    expect(parseTimestamp('23:50', now, 'Asia/Tokyo')).toMatchObject({ ok: true, value: '2026-11-30T14:50:00.000Z' });
    expect(parseTimestamp('22:05', now, 'UTC')).toMatchObject({ ok: true, value: '2026-11-30T22:05:00.000Z' });
  });

  it('daylight saving time is honoured for IANA zones (New York, EST in December, EDT in July)', () => {
    expect(parseTimestamp('2026-12-01 08:00 America/New_York', now)).toMatchObject({ value: '2026-12-01T13:00:00.000Z' });
    expect(parseTimestamp('2026-07-01 08:00 America/New_York', now)).toMatchObject({ value: '2026-07-01T12:00:00.000Z' });
  });

  it('an unknown zone and a future time are errors that say what to type', () => {
    expect(parseTimestamp('22:05 XYZ', now)).toMatchObject({ ok: false, error: expect.stringContaining('not a time zone I know') });
    expect(parseTimestamp('2026-12-02 09:00 JST', now)).toMatchObject({ ok: false, error: expect.stringContaining('in the future') });
  });
});
