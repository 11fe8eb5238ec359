/**
 * Two different jobs: scrubSecrets always runs before anything is written (journal,
 * report, recording, error text); redactIdentifiers runs only on `--redact`, for sharing a report.
 */

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, '[access-key-id]'],
  [/((?:aws_)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi, '$1[secret]'],
  [/((?:aws_)?session_?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{100,}/gi, '$1[secret]'],
  [/(X-Amz-(?:Security-Token|Signature|Credential)=)[^&\s"']+/gi, '$1[secret]'],
  // The same as headers, as an endpoint or proxy may echo them in an error.
  [/(x-amz-(?:security-token|signature|credential)\s*:\s*)[^\s;"'&<,]+/gi, '$1[secret]'],
  // STS session tokens by their shape (base64 of the service's own prefix), wherever they appear.
  [/\b(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{20,}/g, '[session-token]'],
  [/(\bauthorization\s*:\s*)[^\r\n"]+/gi, '$1[secret]'],
  [/(\bcookie\s*:\s*)[^\r\n"]+/gi, '$1[secret]'],
  [/(\bset-cookie\s*:\s*)[^\r\n"]+/gi, '$1[secret]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:)[^@\s/"']+@/gi, '$1[secret]@'],
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** Keys whose values are credentials whatever they look like (recorded SDK inputs, headers). */
const SECRET_KEY = /^(?:.*(?:secret|password|passwd|credential|accesskey|sessionkey|sessiontoken|authorization|cookie)|token|x-amz-security-token|x-amz-signature)$/i;

/**
 * The one scrubber: deep-scrubs every string in a JSON-like value, and drops values kept
 * under credential-like keys. Journals, recordings, reports and error text all go through it.
 */
export function scrubValue<T>(value: T): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (Array.isArray(value)) return value.map(scrubValue) as T;
  if (value && typeof value === 'object') {
    // Only text is a credential: a flag or a count under such a key (`keepaliveSignature: false`) stays.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' && v !== '' ? '[secret]' : scrubValue(v)])) as T;
  }
  return value;
}

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi;
const ARN = /\barn:aws[\w-]*:[\w-]+:[\w-]*:(?:\d{12})?:[^\s"'`,)\]]+/g;
const ACCOUNT = /(?<![\d.])\d{12}(?![\d.])/g;

/** Masks account ids, IP addresses and ARNs for a report that leaves the team. */
export function redactIdentifiers(text: string): string {
  return text
    .replace(ARN, (arn) => {
      const parts = arn.split(':');
      return `${parts.slice(0, 3).join(':')}:${parts[3]}:<account>:<redacted>`;
    })
    .replace(IPV4, '<ip>')
    .replace(IPV6, '<ip>')
    .replace(ACCOUNT, '<account>');
}
