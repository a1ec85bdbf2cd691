// One registry of the errors Portico itself answers with (SPEC §3.2). Every error carries its HTTP
// status, the JSON `type`, where it came from and whether another endpoint may be tried.
export type ErrorSource = 'downstream' | 'upstream' | 'internal';

interface ErrorKind {
  status: number;
  type: string;
  source: ErrorSource;
  /** May the request be sent to another endpoint (before any response byte reached the client)? */
  retryable: boolean;
  message: string;
}

export const ERROR_KINDS = {
  BAD_REQUEST: { status: 400, type: 'bad_request', source: 'downstream', retryable: false, message: 'malformed request' },
  UNAUTHORIZED: { status: 401, type: 'unauthorized', source: 'downstream', retryable: false, message: 'missing or invalid API key' },
  FORBIDDEN: { status: 403, type: 'forbidden', source: 'downstream', retryable: false, message: 'request not allowed' },
  NO_ROUTE: { status: 404, type: 'no_route', source: 'downstream', retryable: false, message: 'no route matches this request' },
  METHOD_NOT_ALLOWED: { status: 405, type: 'method_not_allowed', source: 'downstream', retryable: false, message: 'method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, type: 'payload_too_large', source: 'downstream', retryable: false, message: 'request body is larger than the configured limit' },
  EXPECTATION_FAILED: { status: 417, type: 'expectation_failed', source: 'downstream', retryable: false, message: 'unsupported Expect header' },
  RATE_LIMITED: { status: 429, type: 'rate_limited', source: 'internal', retryable: false, message: 'every endpoint is over its rate limit' },
  HEADERS_TOO_LARGE: { status: 431, type: 'headers_too_large', source: 'downstream', retryable: false, message: 'request headers are too large' },
  UPSTREAM_ERROR: { status: 502, type: 'upstream_error', source: 'upstream', retryable: true, message: 'upstream connection failed' },
  NO_HEALTHY_UPSTREAM: { status: 503, type: 'no_healthy_upstream', source: 'internal', retryable: false, message: 'no healthy endpoint' },
  UPSTREAM_SATURATED: { status: 503, type: 'upstream_saturated', source: 'internal', retryable: false, message: 'every endpoint is at its concurrency limit' },
  UPSTREAM_TIMEOUT: { status: 504, type: 'upstream_timeout', source: 'upstream', retryable: false, message: 'upstream did not answer in time' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

export class PorticoError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly source: ErrorSource;
  readonly retryable: boolean;
  /** Seconds, for 429 answers. */
  retryAfter: number | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; retryable?: boolean }) {
    const kind = ERROR_KINDS[code];
    super(message ?? kind.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PorticoError';
    this.code = code;
    this.status = kind.status;
    this.type = kind.type;
    this.source = kind.source;
    this.retryable = options?.retryable ?? kind.retryable;
    this.retryAfter = undefined;
  }
}

/** The JSON body of SPEC §3.2. */
export function errorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ error: { type, message, requestId } });
}
