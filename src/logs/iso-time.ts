/** Fast ISO-8601 (`2018-07-02T22:23:00.186641Z`) parsing straight from log bytes. */

// Log lines arrive in time order, so the date-and-hour part repeats: cache its epoch.
let cachedKey = -1;
let cachedBase = 0;

function digit(b: number): number {
  const d = b - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/** Epoch milliseconds, or NaN when the bytes are not a UTC ISO timestamp. */
export function parseIsoBytes(buf: Buffer, s: number, e: number): number {
  if (e - s < 20) return NaN;
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45 || buf[s + 10] !== 84 || buf[s + 13] !== 58 || buf[s + 16] !== 58) return NaN;
  const y = digit(buf[s]) * 1000 + digit(buf[s + 1]) * 100 + digit(buf[s + 2]) * 10 + digit(buf[s + 3]);
  const mo = digit(buf[s + 5]) * 10 + digit(buf[s + 6]);
  const d = digit(buf[s + 8]) * 10 + digit(buf[s + 9]);
  const h = digit(buf[s + 11]) * 10 + digit(buf[s + 12]);
  const mi = digit(buf[s + 14]) * 10 + digit(buf[s + 15]);
  const sec = digit(buf[s + 17]) * 10 + digit(buf[s + 18]);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return NaN;
  const key = ((y * 13 + mo) * 32 + d) * 24 + h;
  if (key !== cachedKey) {
    cachedBase = Date.UTC(y, mo - 1, d, h);
    cachedKey = key;
  }
  let ms = cachedBase + mi * 60000 + sec * 1000;
  let p = s + 19;
  if (buf[p] === 46) {
    p++;
    let scale = 100;
    while (p < e && buf[p] >= 48 && buf[p] <= 57) {
      if (scale >= 1) ms += (buf[p] - 48) * scale;
      scale /= 10;
      p++;
    }
  }
  if (p !== e - 1 || buf[p] !== 90) return NaN;
  return ms;
}

export function parseIsoString(text: string): number {
  const b = Buffer.from(text, 'latin1');
  return parseIsoBytes(b, 0, b.length);
}
