import { z } from 'zod';

/** Backends whose fix text differs; keys of `fix.backends`. */
export const BACKENDS = ['node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'iis', 'go', 'spring', 'fastify', 'caddy', 'haproxy', 'envoy', 'lambda'] as const;

export const CauseSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'cause ids are kebab-case'),
  title: z.string().min(1),
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
