import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nginxSeconds, parseNginxConfig } from '../../src/net/nginx-config.js';
import { locationKeepAlive, readUpstreams } from '../../src/net/nginx-upstreams.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/nginx', name), 'utf8');

// Source: nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive (the HTTP and FastCGI examples), verbatim
// except that the docs' "..." placeholders are left out.
const DOCS_KEEPALIVE = `
upstream http_backend {
    server 127.0.0.1:8080;

    keepalive 16;
}

upstream fastcgi_backend {
    server 127.0.0.1:9000;

    keepalive 8;
}

server {
    location /http/ {
        proxy_pass http://http_backend;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }

    location /fastcgi/ {
        fastcgi_pass fastcgi_backend;
        fastcgi_keep_conn on;
    }
}`;

// Source: nginx.org/en/docs/http/websocket.html (the map and the /chat/ location), verbatim.
const DOCS_WEBSOCKET = `
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    upstream backend { server 10.0.0.7:3000; keepalive 4; }

    server {
        location /chat/ {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`;

describe('nginx config reader', () => {
  it('reads the `nginx -T` dump of Debian 12\'s stock config (nginx 1.22.1), resolving includes from the dump', () => {
    // Captured on Debian 12 with `nginx -v; nginx -T` (nginx 1.22.1-9+deb12u11, stock /etc/nginx).
    const c = parseNginxConfig(fixture('debian-12-nginx-T.txt'));
    expect(c.version).toBe('1.22.1');
    expect(c.files).toEqual(['/etc/nginx/nginx.conf', '/etc/nginx/mime.types', '/etc/nginx/sites-enabled/default']);
    expect(c.problems).toEqual([]);
    expect(c.unresolvedIncludes).toEqual([]);
    const http = c.directives.find((d) => d.name === 'http')!;
    // mime.types is inlined where nginx.conf includes it: its `types` block sits inside http.
    expect(http.block!.some((d) => d.name === 'types' && d.block!.some((t) => t.name === 'text/html'))).toBe(true);
    const server = http.block!.find((d) => d.name === 'server')!;
    expect(server.file).toBe('/etc/nginx/sites-enabled/default');
    expect(server.block!.filter((d) => d.name === 'listen').map((d) => d.args)).toEqual([['80', 'default_server'], ['[::]:80', 'default_server']]);
    // The commented-out PHP block of the stock site is a comment, not a fastcgi_pass.
    const { locations, upstreams } = readUpstreams(c.directives);
    expect(locations).toEqual([]);
    expect(upstreams).toEqual([]);
  });

  it('reads the plain Debian nginx.conf and reports the includes it cannot see', () => {
    // Debian 12 /etc/nginx/nginx.conf as shipped by nginx-common 1.22.1-9+deb12u11.
    const c = parseNginxConfig(fixture('debian-12-nginx.conf'));
    expect(c.files).toEqual(['(config)']);
    expect(c.problems).toEqual([]);
    expect(c.unresolvedIncludes.map((i) => i.pattern)).toEqual([
      '/etc/nginx/modules-enabled/*.conf', '/etc/nginx/mime.types', '/etc/nginx/conf.d/*.conf', '/etc/nginx/sites-enabled/*',
    ]);
    expect(c.directives.find((d) => d.name === 'error_log')?.args).toEqual(['/var/log/nginx/error.log']);
  });

  it('reads the stock Debian site file on its own: one server; the virtual-host example is all comments', () => {
    const c = parseNginxConfig(fixture('debian-12-sites-default'));
    expect(c.problems).toEqual([]);
    expect(c.directives.map((d) => d.name)).toEqual(['server']);
  });

  it('finds upstream blocks and passes in the nginx docs keep-alive example, and says both keep connections', () => {
    const c = parseNginxConfig(`http {${DOCS_KEEPALIVE}\n}`);
    expect(c.problems).toEqual([]);
    const { upstreams, locations } = readUpstreams(c.directives);
    expect(upstreams.map((u) => [u.name, u.servers, u.keepalive])).toEqual([['http_backend', ['127.0.0.1:8080'], 16], ['fastcgi_backend', ['127.0.0.1:9000'], 8]]);
    expect(locations.map((l) => [l.location, l.module, l.upstream, l.connection])).toEqual([['/http/', 'proxy', 'http_backend', 'cleared'], ['/fastcgi/', 'fastcgi', 'fastcgi_backend', 'default']]);
    const ka = locations.map((l) => locationKeepAlive(l, upstreams, '1.22.1'));
    expect(ka.map((k) => [k.reuses, k.idleSeconds])).toEqual([[true, 60], [true, 60]]);
  });

  it('without the Connection header or HTTP/1.1, nginx before 1.29.7 closes after each request; from 1.29.7 it keeps them', () => {
    const text = 'http { upstream app { server 127.0.0.1:8000; keepalive 8; keepalive_timeout 75s; } server { server_name shop.example.com; location / { proxy_pass http://app; } } }';
    const { upstreams, locations } = readUpstreams(parseNginxConfig(text).directives);
    expect(upstreams[0].keepaliveTimeoutSeconds).toBe(75);
    expect(locationKeepAlive(locations[0], upstreams, '1.22.1').reuses).toBe(false);
    expect(locationKeepAlive(locations[0], upstreams, '1.29.7')).toMatchObject({ reuses: true, idleSeconds: 75 });
    expect(locationKeepAlive(locations[0], upstreams, undefined)).toMatchObject({ reuses: true, versionDependent: true });
    // No keepalive directive at all: only 1.29.7+ pools by default; keepalive 0 turns it off everywhere.
    const bare = readUpstreams(parseNginxConfig('http { upstream app { server 127.0.0.1:8000; } server { location / { proxy_pass http://app; } } }').directives);
    expect(locationKeepAlive(bare.locations[0], bare.upstreams, '1.28.0').reuses).toBe(false);
    expect(locationKeepAlive(bare.locations[0], bare.upstreams, '1.30.0').reuses).toBe(true);
    const off = readUpstreams(parseNginxConfig('http { upstream app { server 127.0.0.1:8000; keepalive 0; } server { location / { proxy_pass http://app; } } }').directives);
    expect(locationKeepAlive(off.locations[0], off.upstreams, '1.30.0').reuses).toBe(false);
  });

  it('a proxy_pass to host:port (no upstream block) never pools connections', () => {
    const { upstreams, locations } = readUpstreams(parseNginxConfig('http { server { location / { proxy_pass http://127.0.0.1:3000; proxy_http_version 1.1; proxy_set_header Connection ""; } } }').directives);
    expect(locations[0].upstream).toBeUndefined();
    expect(locationKeepAlive(locations[0], upstreams, '1.30.0').reuses).toBe(false);
  });

  it('inherits from http and server, and a location\'s own proxy_set_header replaces every inherited one', () => {
    const text = `http {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout 1m30s;
      proxy_next_upstream error timeout non_idempotent;
      upstream app { server 10.0.0.1:80; keepalive 2; }
      server {
        server_name a.example.com;
        location /a { proxy_pass http://app; }
        location /b { proxy_set_header Host $host; proxy_pass http://app/b; }
      }
    }`;
    const { upstreams, locations } = readUpstreams(parseNginxConfig(text).directives);
    expect(locations.map((l) => [l.location, l.httpVersion, l.connection, l.readTimeoutSeconds, l.nextUpstream])).toEqual([
      ['/a', '1.1', 'cleared', 90, ['error', 'timeout', 'non_idempotent']],
      ['/b', '1.1', 'default', 90, ['error', 'timeout', 'non_idempotent']],
    ]);
    expect(locationKeepAlive(locations[1], upstreams, '1.22.1').reuses).toBe(false);
  });

  it('reads the WebSocket example: quoted empty map keys; a plain request gets "close" from the map, so nothing is pooled', () => {
    const c = parseNginxConfig(DOCS_WEBSOCKET);
    expect(c.problems).toEqual([]);
    const map = c.directives[0].block!.find((d) => d.name === 'map')!;
    expect(map.block!.map((d) => [d.name, ...d.args])).toEqual([['default', 'upgrade'], ['', 'close']]);
    const { upstreams, locations } = readUpstreams(c.directives);
    expect(locations[0]).toMatchObject({ connection: 'close', connectionValue: expect.stringMatching(/^\$connection_upgrade \("close" for requests without Upgrade/) });
    expect(locationKeepAlive(locations[0], upstreams, '1.22.1').reuses).toBe(false);
  });

  it('reads ingress-nginx\'s generated shape: a Lua-balanced upstream_balancer and a map that clears Connection', () => {
    // The shape of kubernetes/ingress-nginx rootfs/etc/nginx/template/nginx.tmpl with upstream keep-alive on
    // (upstream-keepalive-connections 320, -timeout 60, -requests 10000, its defaults).
    const text = `http {
      map $http_upgrade $connection_upgrade {
          default          upgrade;
          # See http://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive
          ''               '';
      }
      upstream upstream_balancer {
          server 0.0.0.1; # placeholder
          balancer_by_lua_block {
            balancer.balance()
          }
          keepalive 320;
          keepalive_timeout  60s;
          keepalive_requests 10000;
      }
      server {
          server_name shop.example.com ;
          location / {
              set $proxy_upstream_name "default-shop-80";
              proxy_set_header Upgrade           $http_upgrade;
              proxy_set_header Connection        $connection_upgrade;
              proxy_http_version                 1.1;
              proxy_next_upstream                error timeout;
              proxy_pass http://upstream_balancer;
          }
      }
    }`;
    const { upstreams, locations } = readUpstreams(parseNginxConfig(text).directives);
    expect(upstreams[0]).toMatchObject({ name: 'upstream_balancer', dynamic: true, servers: [], keepalive: 320, keepaliveTimeoutSeconds: 60 });
    expect(locations[0]).toMatchObject({ connection: 'cleared', upstream: 'upstream_balancer' });
    expect(locationKeepAlive(locations[0], upstreams, '1.25.5')).toMatchObject({ reuses: true, idleSeconds: 60 });
  });

  it('handles quotes, escapes, ${var} and comments after directives', () => {
    const c = parseNginxConfig(`http { log_format x '$remote_addr "\\'q\\'"' ; # trailing comment ; {
      server { return 200 "a;b{c}"; set $x "\${host}z"; } }`);
    expect(c.problems).toEqual([]);
    const http = c.directives[0].block!;
    expect(http[0].args).toEqual(['x', `$remote_addr "'q'"`]);
    expect(http[1].block!.map((d) => d.args)).toEqual([['200', 'a;b{c}'], ['$x', '${host}z']]);
  });

  it('reports syntax problems with the file and its own line (counted after the -T header), and keeps what it could read', () => {
    const c = parseNginxConfig('# configuration file /etc/nginx/nginx.conf:\nhttp {\n  server {\n    listen 80\n  }\n');
    expect(c.problems).toEqual(['/etc/nginx/nginx.conf:3: "listen" is missing its ";"', '/etc/nginx/nginx.conf: a block is not closed (missing "}")']);
    expect(c.directives[0].name).toBe('http');
  });

  it('resolves relative includes against nginx.conf\'s directory, and globs in sorted order', () => {
    const dump = [
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
      'nginx: configuration file /etc/nginx/nginx.conf test is successful',
      '# configuration file /etc/nginx/nginx.conf:',
      'http { include conf.d/*.conf; include missing.conf; }',
      '',
      '# configuration file /etc/nginx/conf.d/b.conf:',
      'upstream b { server 10.0.0.2:80; }',
      '',
      '# configuration file /etc/nginx/conf.d/a.conf:',
      // stderr mixed in by 2>&1 (message format of ngx_log_error in src/core/ngx_log.c)
      'nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/conf.d/a.conf:3',
      'upstream a { server 10.0.0.1:80; }',
      '',
    ].join('\n');
    const c = parseNginxConfig(dump);
    expect(c.directives[0].block!.map((d) => d.args[0])).toEqual(['a', 'b']);
    expect(c.problems).toEqual([]);
    expect(c.unresolvedIncludes.map((i) => i.pattern)).toEqual(['missing.conf']);
  });

  it('reads nginx time values', () => {
    expect([nginxSeconds('60'), nginxSeconds('75s'), nginxSeconds('1m30s'), nginxSeconds('500ms'), nginxSeconds('1h'), nginxSeconds('x')]).toEqual([60, 75, 90, 0.5, 3600, undefined]);
  });
});
