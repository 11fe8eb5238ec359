import { z } from 'zod';

/** Backends whose fix text differs; keys of `fix.backends`. */
export const BACKENDS = ['node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'iis', 'go', 'spring', 'fastify', 'caddy', 'haproxy', 'envoy', 'lambda'] as const;

export const CauseSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'cause ids are kebab-case'),
  title: z.string().min(1),
  /**
   * `symptom`: a state the evidence can show (every target unhealthy) that a deeper cause
   * explains; the board ranks a standing cause that explains it above it. Default `cause`.
   */
  kind: z.enum(['cause', 'symptom']).default('cause'),
  /** Causes or symptoms this one explains (is a more specific reason for). */
  explains: z.array(z.string().min(1)).default([]),
  /** Gateway kinds this cause applies to. */
  gateways: z.array(z.enum(['alb', 'clb', 'nlb', 'cloudfront', 'apigw', 'appgw', 'nginx'])).min(1),
  /** Why this makes a 502 (and, where it matters, why it is not a 503/504). */
  why: z.string().min(1),
  /** Ordered steps that confirm (or rule out) the cause; commands in backticks. */
  confirm: z.array(z.string().min(1)).min(1),
  fix: z.object({
    general: z.string().min(1),
    backends: z.partialRecord(z.enum(BACKENDS), z.string().min(1)).optional(),
  }),
  /** Action items for the postmortem. */
  prevent: z.array(z.string().min(1)).min(1),
  references: z.array(z.object({ title: z.string().min(1), url: z.url() })).min(1),
}).strict();

export const CatalogSchema = z.object({ causes: z.array(CauseSchema).min(1) }).strict();

export type Cause = z.infer<typeof CauseSchema>;

/** What the board needs of the catalog to rank: which ids are symptoms, and what explains what. */
export interface CauseRelations {
  kind(id: string): 'cause' | 'symptom';
  /** Ids this one explains, directly or through others. */
  explains(id: string): ReadonlySet<string>;
}

export function causeRelations(catalog: Pick<Catalog, 'causes'>): CauseRelations {
  const direct = new Map(catalog.causes.map((c) => [c.id, c.explains ?? []]));
  const kinds = new Map(catalog.causes.map((c) => [c.id, c.kind ?? 'cause']));
  const closure = new Map<string, Set<string>>();
  const walk = (id: string, seen: Set<string>): Set<string> => {
    const hit = closure.get(id);
    if (hit) return hit;
    const out = new Set<string>();
    for (const next of direct.get(id) ?? []) {
      if (seen.has(next)) continue;
      out.add(next);
      for (const deeper of walk(next, new Set([...seen, next]))) out.add(deeper);
    }
    closure.set(id, out);
    return out;
  };
  return { kind: (id) => kinds.get(id) ?? 'cause', explains: (id) => walk(id, new Set([id])) };
}

/** No relations: every id a cause, none explaining another (tests, unknown catalogs). */
export const NO_RELATIONS: CauseRelations = { kind: () => 'cause', explains: () => new Set() };
export type Catalog = z.infer<typeof CatalogSchema>;

/** Ids other parts and users' scripts rely on (DESIGN.md); the catalog must hold them all. */
export const REQUIRED_CAUSE_IDS = [
  'keepalive-race', 'target-not-listening', 'target-crashed-or-overloaded',
  'health-check-misconfigured', 'no-healthy-targets-yet', 'all-targets-unhealthy',
  'sg-blocks-lb-to-target', 'nacl-blocks-traffic', 'target-tls-handshake',
  'malformed-response', 'response-headers-too-large', 'deregistration-delay',
  'target-generated-502', 'lambda-invalid-response', 'lambda-error-or-timeout',
  'origin-tls-mismatch', 'origin-dns-failure', 'timeout-mismatch', 'port-exhaustion',
  'recent-change',
] as const;
