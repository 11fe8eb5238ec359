/**
 * Quote-aware tokenizer for ELB access-log lines. Fields are separated by spaces; a field
 * that starts with `"` runs to the next `"` followed by a space or the end of the line,
 * so a stray quote inside a user agent does not end it early. A backslash escapes the next
 * byte (`\"` a quote, `\\` a backslash).
 */

export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; reason: string };

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function tokenizeLine(buf: Buffer, start: number, end: number): TokenizeResult {
  const tokens: string[] = [];
  let p = start;
  while (p < end) {
    while (p < end && buf[p] === SPACE) p++;
    if (p >= end) break;
    if (buf[p] === QUOTE) {
      let q = p + 1;
      let escaped = false;
      let close = -1;
      while (q < end) {
        const b = buf[q];
        if (b === BACKSLASH) {
          escaped = true;
          q += 2;
          continue;
        }
        if (b === QUOTE && (q + 1 === end || buf[q + 1] === SPACE)) {
          close = q;
          break;
        }
        q++;
      }
      if (close < 0) return { ok: false, reason: 'unterminated quoted field (truncated line?)' };
      let text = buf.toString('utf8', p + 1, close);
      if (escaped) text = text.replace(/\\(.)/g, '$1');
      tokens.push(text);
      p = close + 1;
    } else {
      let q = p;
      while (q < end && buf[q] !== SPACE) q++;
      tokens.push(buf.toString('utf8', p, q));
      p = q;
    }
  }
  return { ok: true, tokens };
}
