// The configuration schema of SPEC §2, defined once. Every configuration type in Portico is
// derived from it (z.output), so the schema and the types cannot drift.
import { isIP } from 'node:net';
import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

const duration = z.string({ error: 'must be a duration such as 250ms, 5s or 1m' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a duration such as 250ms, 5s or 1m (got "${text}")` });
    return z.NEVER;
  }
  return ms;
});

const size = z.string({ error: 'must be a size such as 512kb or 1mb' }).transform((text, ctx) => {
  const bytes = parseSize(text);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a size such as 512kb or 1mb (got "${text}")` });
    return z.NEVER;
  }
  return bytes;
});

/** "10%" -> 0.1 */
const percent = z.string({ error: 'must be a percentage such as 10%' }).transform((text, ctx) => {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const value = m ? Number(m[1]) / 100 : NaN;
  if (!(value >= 0 && value <= 1)) {
    ctx.addIssue({ code: 'custom', message: `must be a percentage between 0% and 100% (got "${text}")` });
    return z.NEVER;
  }
  return value;
});

/** "200-399" or 200 -> inclusive range */
const statusRange = z.union([z.number().int(), z.string()], { error: 'must be a status code or a range such as 200-399' })
  .transform((raw, ctx) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(String(raw).trim());
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2] ?? m[1]) : NaN;
    if (!(min >= 100 && max <= 599 && min <= max)) {
      ctx.addIssue({ code: 'custom', message: `must be a status code or a range such as 200-399 (got "${raw}")` });
      return z.NEVER;
    }
    return { min, max };
  });

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerName = z.string().regex(TOKEN, 'must be a valid HTTP header name');
// CR, LF and NUL in a value the gateway sets would let configuration split headers.
const headerValue = z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL');
const headerMap = z.record(headerName, headerValue);
const method = z.string().regex(TOKEN, 'must be an HTTP method').transform((m) => m.toUpperCase());
const nonEmpty = z.string().min(1, 'must not be empty');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"');
const absolutePath = z.string().startsWith('/', 'must start with "/"');

const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `must be a valid regular expression (${(err as Error).message})` });
    return;
  }
  // The route table runs these on every request: catastrophic backtracking would be a DoS.
  if (!safeRegex(source)) ctx.addIssue({ code: 'custom', message: 'regular expression may backtrack catastrophically (nested quantifiers)' });
});

const httpUrl = z.string().superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
  else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials (use auth.key)' });
  else if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
});

const cidr = z.string().refine((text) => {
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}, 'must be an IP address or CIDR such as 10.0.0.0/8');

export const corsSchema = z.strictObject({
  origins: z.array(nonEmpty).min(1, 'must list at least one origin ("*" allows any)'),
  methods: z.array(method).default(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  headers: z.array(headerName).default(['authorization', 'content-type', 'x-api-key']),
  credentials: z.boolean().default(false),
  maxAge: duration.default(600_000),
});

const gatewaySchema = z.strictObject({
  trustProxy: z.union([z.literal(false), z.array(cidr)], { error: 'must be false or a list of CIDRs' }).default(false),
  maxBufferedBody: size.default(1024 * 1024),
  // The HTTP parser's own limit is 256 KiB (data-plane/src/main.ts); the configured one is checked per request.
  maxHeaderSize: size.pipe(z.number().max(256 * 1024, 'must be at most 256kb')).default(16 * 1024),
  statusEndpoints: z.boolean().default(true),
  cors: corsSchema.optional(),
});

const healthCheckFields = {
  path: absolutePath,
  method: z.enum(['GET', 'HEAD'], { error: 'must be GET or HEAD' }),
  interval: duration,
  timeout: duration,
  jitter: percent,
  healthyThreshold: z.number().int().min(1),
  unhealthyThreshold: z.number().int().min(1),
  expectedStatus: statusRange,
};

const healthCheckDefaults = z.strictObject({
  path: healthCheckFields.path.default('/health'),
  method: healthCheckFields.method.default('GET'),
  interval: healthCheckFields.interval.default(5000),
  timeout: healthCheckFields.timeout.default(2000),
  jitter: healthCheckFields.jitter.default(0.1),
  healthyThreshold: healthCheckFields.healthyThreshold.default(1),
  unhealthyThreshold: healthCheckFields.unhealthyThreshold.default(2),
  expectedStatus: healthCheckFields.expectedStatus.default({ min: 200, max: 399 }),
});

/** Cluster and endpoint overrides: any subset of the fields, merged over the defaults. */
export const healthCheckOverrideSchema = z.strictObject(healthCheckFields).partial();

const endpointSchema = z.strictObject({
  url: httpUrl,
  name: name.optional(),
  weight: z.number().int().min(1).max(1000).default(1),
  maxRequests: z.number().int().min(1).optional(),
  rateLimit: z.strictObject({ rps: z.number().positive(), burst: z.number().int().min(1).optional() }).optional(),
  healthCheck: healthCheckOverrideSchema.optional(),
  auth: z.strictObject({
    // Sent upstream as a header value: CR/LF/NUL would split the request head.
    key: nonEmpty.refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL'),
    header: z.enum(['authorization', 'x-api-key'], { error: 'must be authorization or x-api-key' }).default('authorization'),
  }).optional(),
});

export const BALANCERS = ['round-robin', 'weighted', 'least-request', 'least-latency', 'ip-hash', 'first-success'] as const;

const clusterSchema = z.strictObject({
  name,
  balancer: z.enum(BALANCERS, { error: `must be one of ${BALANCERS.join(', ')}` }).default('round-robin'),
  connectTimeout: duration.default(2000),
  timeout: duration.default(30_000),
  idleTimeout: duration.default(300_000),
  retries: z.number().int().min(0).max(10).default(1),
  outlierDetection: z.strictObject({
    consecutiveFailures: z.number().int().min(1).default(5),
    ejectionTime: duration.default(30_000),
  }).prefault({}),
  healthCheck: healthCheckOverrideSchema.optional(),
  endpoints: z.array(endpointSchema).min(1, 'must list at least one endpoint'),
});

const headerEdits = z.strictObject({
  set: headerMap.optional(),
  add: headerMap.optional(),
  remove: z.array(headerName).optional(),
  replace: headerMap.optional(),
});

const routeSchema = z.strictObject({
  name: name.optional(),
  match: z.strictObject({
    prefix: absolutePath.optional(),
    path: absolutePath.optional(),
    regex: regexSource.optional(),
    methods: z.array(method).min(1).optional(),
    headers: headerMap.optional(),
    payload: z.array(z.record(z.string(), z.unknown()), { error: 'must be a list of JSON objects' }).min(1).optional(),
  }),
  cluster: name.optional(),
  static: z.strictObject({ root: nonEmpty, spa: z.boolean().default(false) }).optional(),
  rewrite: z.strictObject({
    stripPrefix: z.boolean().optional(),
    regex: regexSource.optional(),
    replacement: z.string().optional(),
  }).optional(),
  request: z.strictObject({
    method: method.optional(),
    body: z.string().optional(),
    forwardQuery: z.boolean().default(true),
    headers: headerEdits.optional(),
  }).prefault({}),
  response: z.strictObject({
    headers: headerEdits.omit({ replace: true }).optional(),
    rewriteLocation: z.boolean().default(false),
    openapi: z.boolean().default(false),
  }).prefault({}),
  auth: z.union([z.enum(['inherit', 'none']), z.strictObject({ keys: z.array(nonEmpty).min(1) })], {
    error: 'must be inherit, none or { keys: [...] }',
  }).default('inherit'),
  websocket: z.boolean().default(true),
  cors: z.union([z.literal('inherit'), z.literal(false), corsSchema], { error: 'must be inherit, false or a CORS object' }).default('inherit'),
});

export const configSchema = z.strictObject({
  gateway: gatewaySchema.prefault({}),
  auth: z.strictObject({ keys: z.array(nonEmpty).default([]) }).prefault({}),
  healthCheck: healthCheckDefaults.prefault({}),
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    keyPrefix: z.string().default('portico:'),
  }).optional(),
  routeCache: z.strictObject({
    ttl: duration.default(600_000),
    maxEntries: z.number().int().min(1).default(100_000),
  }).prefault({}),
  clusters: z.array(clusterSchema).default([]),
  routes: z.array(routeSchema).min(1, 'must list at least one route'),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ClusterConfig = Config['clusters'][number];
export type EndpointConfig = ClusterConfig['endpoints'][number];
export type RouteConfig = Config['routes'][number];
export type CorsConfig = z.output<typeof corsSchema>;
export type HealthCheckConfig = Config['healthCheck'];
export type HealthCheckOverride = z.output<typeof healthCheckOverrideSchema>;
export type Balancer = (typeof BALANCERS)[number];
export type HeaderEdits = z.output<typeof headerEdits>;
