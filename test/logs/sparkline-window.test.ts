import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/logs/sparkline.js';
import { parseTimeArg, parseWindow } from '../../src/logs/time-window.js';
import { dayFolders, keyEndTime, keyInWindow, keyMatchesLb, parseS3Uri } from '../../src/logs/s3-plan.js';
import { nodeFromName } from '../../src/logs/file-parser.js';

describe('sparkline', () => {
  it('scales to the maximum, keeps zero flat and any non-zero visible', () => {
    expect(sparkline([0, 1, 2, 4, 8, 100])).toBe('▁▂▂▂▂█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▂▃▄▅▅▆▇█');
  });

  it('groups to a width by maximum, so one bad minute never disappears', () => {
    const values = new Array(120).fill(0);
    values[77] = 5;
    const s = sparkline(values, 10);
    expect(s).toHaveLength(10);
    expect(s[6]).toBe('█');
  });
});

describe('--since / --until', () => {
  const now = new Date('2024-03-05T12:00:00Z');
  it.each([
    ['2h', '2024-03-05T10:00:00.000Z'], ['30m', '2024-03-05T11:30:00.000Z'], ['1d', '2024-03-04T12:00:00.000Z'], ['90s', '2024-03-05T11:58:30.000Z'],
    ['2024-03-05T10:15:00Z', '2024-03-05T10:15:00.000Z'], ['2024-03-05T10:15', '2024-03-05T10:15:00.000Z'], ['2024-03-05 10:15:00+02:00', '2024-03-05T08:15:00.000Z'], ['2024-03-04', '2024-03-04T00:00:00.000Z'],
  ])('%s', (arg, iso) => {
    expect(new Date(parseTimeArg(arg, now) as number).toISOString()).toBe(iso);
  });

  it('rejects what it cannot read', () => {
    expect(parseTimeArg('yesterday', now)).toBeNull();
    expect(parseTimeArg('2024-13-45', now)).toBeNull();
    expect(parseWindow('1h', '2h', now)).toMatchObject({ ok: false });
  });
});

describe('S3 key names', () => {
  const key = 'p/AWSLogs/123456789012/elasticloadbalancing/us-east-2/2014/02/15/123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.1234567890abcdef_20140215T2340Z_172.160.001.192_20sg8hgm.log.gz';
  const clb = 'AWSLogs/123456789012/elasticloadbalancing/us-west-2/2014/02/15/123456789012_elasticloadbalancing_us-west-2_my-loadbalancer_20140215T2340Z_172.160.001.192_20sg8hgm.log';

  it('end time, 5-minute ALB and 60-minute CLB intervals', () => {
    expect(new Date(keyEndTime(key) as number).toISOString()).toBe('2014-02-15T23:40:00.000Z');
    const at = (s: string): number => Date.parse(s);
    expect(keyInWindow(key, at('2014-02-15T23:36:00Z'), at('2014-02-15T23:37:00Z'))).toBe(true);
    expect(keyInWindow(key, at('2014-02-15T23:40:00Z'), at('2014-02-16T00:00:00Z'))).toBe(false);
    expect(keyInWindow(key, at('2014-02-15T23:00:00Z'), at('2014-02-15T23:35:00Z'))).toBe(false);
    expect(keyInWindow(clb, at('2014-02-15T22:45:00Z'), at('2014-02-15T22:50:00Z'))).toBe(true);
  });

  it('LB name, node, URI and day folders', () => {
    expect(keyMatchesLb(key, 'my-loadbalancer')).toBe(true);
    expect(keyMatchesLb(key, 'app/my-loadbalancer/1234567890abcdef')).toBe(true);
    expect(keyMatchesLb(key, 'my')).toBe(false);
    expect(keyMatchesLb(clb, 'my-loadbalancer')).toBe(true);
    expect(nodeFromName(key)).toBe('172.160.001.192');
    expect(parseS3Uri('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b/' });
    expect(dayFolders(Date.parse('2024-02-28T23:30:00Z'), Date.parse('2024-03-01T00:10:00Z'))).toEqual(['2024/02/28/', '2024/02/29/', '2024/03/01/']);
    expect(dayFolders(Date.parse('2023-12-31T23:30:00Z'), Date.parse('2023-12-31T23:50:00Z'))).toEqual(['2023/12/31/', '2024/01/01/']);
  });
});
