import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CatalogSchema, REQUIRED_CAUSE_IDS, type Catalog } from '../../src/engine/causes.js';

const catalogPath = fileURLToPath(new URL('../../flows/causes.yaml', import.meta.url));

/** Extra ids the flows rely on besides REQUIRED_CAUSE_IDS. */
const FLOW_CAUSE_IDS = [
  'listener-or-routing-misconfigured',
  'host-header-or-sni-mismatch',
  'server-resource-exhaustion',
  'dependency-failure',
  'host-firewall-blocks',
  'dns-misrouting',
] as const;

/** Backends whose keep-alive fix must be spelled out for keepalive-race. */
const KEEPALIVE_BACKENDS = [
  'node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'iis', 'go', 'spring', 'fastify',
] as const;

function loadCatalog(): Catalog {
  const raw: unknown = YAML.parse(readFileSync(catalogPath, 'utf8'));
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`flows/causes.yaml does not match CatalogSchema:\n${JSON.stringify(parsed.error.issues, null, 2)}`);
  }
  return parsed.data;
}

describe('flows/causes.yaml', () => {
  const catalog = loadCatalog();
  const byId = new Map(catalog.causes.map((c) => [c.id, c]));

  it('validates against CatalogSchema', () => {
    expect(CatalogSchema.safeParse(YAML.parse(readFileSync(catalogPath, 'utf8'))).success).toBe(true);
  });

  it('holds every required cause id', () => {
    const missing = REQUIRED_CAUSE_IDS.filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
  });

  it('holds the extra ids the flows use', () => {
    const missing = FLOW_CAUSE_IDS.filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
  });

  it('has unique ids', () => {
    const ids = catalog.causes.map((c) => c.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it('has unique gateways per cause and at least one confirm step with a command', () => {
    for (const cause of catalog.causes) {
      expect(new Set(cause.gateways).size, cause.id).toBe(cause.gateways.length);
      expect(cause.confirm.some((step) => /`[^`]+`/.test(step)), `${cause.id}: no command in confirm`).toBe(true);
    }
  });

  it('keepalive-race gives backend-specific fixes', () => {
    const race = byId.get('keepalive-race');
    expect(race).toBeDefined();
    const backends = race!.fix.backends ?? {};
    const missing = KEEPALIVE_BACKENDS.filter((b) => !backends[b]);
    expect(missing).toEqual([]);

    expect(backends.node).toMatch(/keepAliveTimeout\s*=\s*65_?000/);
    expect(backends.node).toMatch(/headersTimeout\s*=\s*66_?000/);
    expect(backends.node).toMatch(/26/); // Node >= 26 defaults to 65 s
    expect(backends.gunicorn).toMatch(/--keep-alive 65/);
    expect(backends.uvicorn).toMatch(/--timeout-keep-alive 65/);
    expect(backends.apache).toMatch(/KeepAliveTimeout 65/);
    expect(backends.puma).toMatch(/persistent_timeout/);
    expect(backends.tomcat).toMatch(/keepAliveTimeout="65000"/);
    expect(backends.spring).toMatch(/server\.tomcat\.keep-alive-timeout/);
    expect(backends.go).toMatch(/IdleTimeout/);
    expect(backends.fastify).toMatch(/keepAliveTimeout/);
  });

  it('keepalive-race covers App Gateway v1/v2 and CloudFront origin keep-alive', () => {
    const general = byId.get('keepalive-race')!.fix.general;
    expect(general).toMatch(/v2[^.]*60 s[^.]*90–120 s/);
    expect(general).toMatch(/v1[^.]*300 s/);
    expect(general).toMatch(/CloudFront[^.]*5 s/);
  });

  it('explains the 504/503 neighbours where they matter', () => {
    expect(byId.get('sg-blocks-lb-to-target')!.why).toMatch(/504/);
    expect(byId.get('nacl-blocks-traffic')!.why).toMatch(/504/);
    expect(byId.get('all-targets-unhealthy')!.why).toMatch(/fails open/);
    expect(byId.get('all-targets-unhealthy')!.why).toMatch(/503/);
  });

  it('references are https URLs', () => {
    for (const cause of catalog.causes) {
      for (const ref of cause.references) {
        expect(ref.url, `${cause.id}: ${ref.title}`).toMatch(/^https:\/\//);
      }
    }
  });
});
