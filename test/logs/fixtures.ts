/**
 * Real-format log lines. The DOC_* lines follow the AWS documentation examples (reference
 * §1.3/§1.5); SEED_* embed the two timing runs from source article 002 in full lines.
 */

export const TG = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067';
export const TG_TLS = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/secure/5a1c2b3d4e5f6a7b';

/** ALB HTTP entry from the docs (29 fields). */
export const DOC_HTTP =
  'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 ' +
  '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - ' + TG + ' ' +
  '"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"';

/** ALB HTTPS entry from the docs, with the newer trailing fields (conn_trace_id, transforms). */
export const DOC_HTTPS =
  'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 ' +
  '"GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ' + TG + ' ' +
  '"Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" ' +
  '1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"';

/** The Lambda failure from the docs (§1.5). */
export const DOC_LAMBDA =
  'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 ' +
  '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 ' +
  '"Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-"';

/** CLB example from the docs. */
export const DOC_CLB =
  '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -';

export interface AlbOpts {
  time?: string;
  created?: string;
  client?: string;
  target?: string;
  timings?: string;
  elb?: string;
  tstat?: string;
  path?: string;
  tg?: string;
  error?: string;
  ua?: string;
}

/** A full 33-field ALB line; only what a test cares about needs setting. */
export function albLine(o: AlbOpts = {}): string {
  const time = o.time ?? '2024-03-05T10:00:00.000000Z';
  const target = o.target ?? '10.0.1.10:8080';
  const tstat = o.tstat ?? '200';
  return `https ${time} app/shop-prod/50dc6c495c0c9188 ${o.client ?? '203.0.113.7:51234'} ${target} ${o.timings ?? '0.000 0.003 0.000'} ${o.elb ?? '200'} ${tstat} 310 ${o.elb === '502' ? 272 : 5120} ` +
    `"GET https://shop.example.com:443${o.path ?? '/api/cart'} HTTP/1.1" "${o.ua ?? 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/125.0'}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${o.tg ?? TG} ` +
    `"Root=1-65e6ed50-0123456789abcdef01234567" "shop.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 ${o.created ?? time} ` +
    `"forward" "-" "${o.error ?? '-'}" "${target}" "${tstat}" "-" "-" TID_0123456789abcdef0123456789abcdef "-" "-" "-"`;
}

/** Article 002: a good request `0.000 0.003 0.000 304 304` and the failing one `0.000 0.000 -1 502 -`. */
export const SEED_GOOD = albLine({ time: '2024-03-05T10:00:00.003000Z', created: '2024-03-05T10:00:00.000000Z', timings: '0.000 0.003 0.000', elb: '304', tstat: '304' });
export const SEED_BAD = albLine({ time: '2024-03-05T10:00:06.000000Z', created: '2024-03-05T10:00:06.000000Z', timings: '0.000 0.000 -1', elb: '502', tstat: '-' });

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export const T0 = Date.UTC(2024, 2, 5, 10, 0, 0);

export const NGINX_LINES = {
  refused: '2024/03/05 10:00:01 [error] 1234#1234: *101 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: shop.example.com, request: "GET /api/cart HTTP/1.1", upstream: "http://127.0.0.1:3000/api/cart", host: "shop.example.com"',
  unixRefused: '2024/03/05 10:00:02 [crit] 1234#1234: *102 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.8, server: shop.example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"',
  premature: '2024/03/05 10:00:03 [error] 1234#1234: *103 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.9, server: shop.example.com, request: "POST /api/checkout HTTP/1.1", upstream: "http://10.0.1.10:8080/api/checkout", host: "shop.example.com"',
  reset: '2024/03/05 10:00:04 [error] 1234#1234: *104 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 203.0.113.10, server: shop.example.com, request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.1.11:8080/api/orders", host: "shop.example.com"',
  tooBig: '2024/03/05 10:00:05 [error] 1234#1234: *105 upstream sent too big header while reading response header from upstream, client: 203.0.113.11, server: shop.example.com, request: "GET /login HTTP/1.1", upstream: "http://10.0.1.12:8080/login", host: "shop.example.com"',
  invalid: '2024/03/05 10:00:06 [error] 1234#1234: *106 upstream sent invalid header: "X-Bad\\x0Aheader" while reading response header from upstream, client: 203.0.113.12, server: shop.example.com, request: "GET /api/products HTTP/1.1", upstream: "http://10.0.1.13:8080/api/products", host: "shop.example.com"',
  ssl: '2024/03/05 10:00:07 [error] 1234#1234: *107 SSL_do_handshake() failed (SSL: error:0A00042E:SSL routines::tlsv1 alert protocol version:SSL alert number 70) while SSL handshaking to upstream, client: 203.0.113.13, server: shop.example.com, request: "GET /secure HTTP/1.1", upstream: "https://10.0.3.5:443/secure", host: "shop.example.com"',
  noLive: '2024/03/05 10:00:08 [error] 1234#1234: *108 no live upstreams while connecting to upstream, client: 203.0.113.14, server: shop.example.com, request: "GET / HTTP/1.1", upstream: "http://backend/", host: "shop.example.com"',
  timeout: '2024/03/05 10:00:09 [error] 1234#1234: *109 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.15, server: shop.example.com, request: "GET /slow HTTP/1.1", upstream: "http://10.0.1.10:8080/slow", host: "shop.example.com"',
  notice: '2024/03/05 09:59:00 [notice] 1#1: start worker processes',
} as const;

/**
 * The start of `docker logs` for the official nginx image: the entrypoint's notices
 * (messages from nginxinc/docker-nginx entrypoint/docker-entrypoint.sh, `$0` = /docker-entrypoint.sh)
 * and then nginx's own error log on stderr. The upstream line is NGINX_LINES.refused.
 */
export const DOCKER_NGINX_START = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
  NGINX_LINES.notice,
];
