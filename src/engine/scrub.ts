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

/**
 * Identifier shapes a shared report must not carry, most specific first (an ARN before the account
 * id inside it, a host name that spells an IP before the IP). Each kind gets its own mask, and the
 * same value always the same mask (`<ip-1>`, `<sg-2>`), so the document still reads.
 */
const IDENTIFIERS: { kind: string; re: RegExp }[] = [
  { kind: 'arn', re: /\barn(?::|%3A)aws[\w-]*(?::|%3A)[\w-]+(?::|%3A)[\w-]*(?::|%3A)(?:\d{12})?(?::|%3A)[^\s"'`,;)\]<>|]*[^\s"'`,;)\]<>|.]/gi },
  { kind: 'email', re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  { kind: 'lb-dns', re: /\b[a-z0-9-]+\.(?:[a-z]{2}(?:-gov)?-[a-z]+-\d\.)?elb\.amazonaws\.com(?:\.cn)?\b/gi },
  { kind: 'host', re: /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*\.(?:compute\.)?internal\b/gi },
  { kind: 'bucket', re: /\bs3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/g },
  // `app/name/id` in ARNs and metric dimensions, `app.name.id` in access-log object keys.
  { kind: 'lb', re: /(?<![A-Za-z0-9])(?:app|net|gwy)([/.])[A-Za-z0-9-]{1,32}\1[0-9a-f]{16}(?![0-9a-f])/g },
  { kind: 'tg', re: /\btargetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\b/g },
  { kind: 'resource', re: /\b(?:sg|i|subnet|vpc|eni|acl|rtb|igw|nat|vpce|pcx|tgw)-[0-9a-f]{8}(?:[0-9a-f]{9})?\b/g },
  // IPv6: eight groups, or compressed with "::" (times such as 10:00:06 have neither).
  { kind: 'ip', re: /(?<![\w.:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4})?)(?![\w:])/gi },
  { kind: 'ip', re: /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.]*\d)/g },
  { kind: 'account', re: /(?<![\d-])\d{4}-\d{4}-\d{4}(?![\d-])|(?<!\d)\d{12}(?!\d)/g },
];

/** Consistent masks for one document: the same identifier gets the same mask everywhere in it. */
export function createMasker(): (kind: string, value: string) => string {
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  return (kind, value) => {
    const key = `${kind}\0${value.toLowerCase().replace(/%3a/gi, ':').replace(/-/g, kind === 'account' ? '' : '-')}`;
    let mask = seen.get(key);
    if (!mask) {
      const n = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, n);
      mask = `<${kind === 'resource' ? value.split('-')[0] : kind}-${n}>`;
      seen.set(key, mask);
    }
    return mask;
  };
}

/**
 * Masks account ids, IPs (v4 and v6, also inside host names and S3 keys), ARNs (also URL-encoded),
 * resource ids, load balancer and target group names and DNS names, buckets and e-mail addresses,
 * for a report that leaves the team. Pass one masker for a whole document.
 */
export function redactIdentifiers(text: string, mask = createMasker(), names: { kind: string; value: string }[] = []): string {
  let out = text;
  // Names have no shape of their own (a load balancer called shop-alb): the caller says which they are.
  for (const { kind, value } of names.filter((n) => n.value.length >= 3).sort((a, b) => b.value.length - a.value.length)) {
    out = out.split(value).join(mask(kind, value));
  }
  for (const { kind, re } of IDENTIFIERS) {
    out = out.replace(re, (m) => (/^<[a-z]+-\d+>$/.test(m) || (kind === 'ip' && m.includes(':') && !/[0-9a-f]/i.test(m)) ? m : mask(kind, m)));
  }
  return out;
}
