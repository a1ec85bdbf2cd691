// Every undici failure is mapped onto the error registry here, and only here, keeping the cause
// (like @fastify/reply-from's one mapping function).
import { PorticoError } from '../../../shared/src/errors.js';

/** Codes that mean the connection was never made: nothing reached the upstream. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);

export interface MappedUpstreamError {
  error: PorticoError;
  /** Nothing was sent upstream: another endpoint may be tried whatever the method. */
  connectFailure: boolean;
  /** The client went away; there is nobody to answer. */
  clientGone: boolean;
}

export function mapUpstreamError(err: unknown): MappedUpstreamError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'UND_ERR_ABORTED') {
    return { error: new PorticoError('BAD_REQUEST', 'client closed the request', { cause: err }), connectFailure: false, clientGone: true };
  }
  if (CONNECT_FAILURES.has(code)) {
    const timeout = code === 'UND_ERR_CONNECT_TIMEOUT';
    return {
      error: new PorticoError(timeout ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_ERROR', timeout ? 'upstream connect timeout' : 'upstream connection refused', { cause: err, retryable: true }),
      connectFailure: true,
      clientGone: false,
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { error: new PorticoError('UPSTREAM_TIMEOUT', 'upstream did not send response headers in time', { cause: err }), connectFailure: false, clientGone: false };
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return { error: new PorticoError('UPSTREAM_TIMEOUT', 'upstream stream was idle too long', { cause: err }), connectFailure: false, clientGone: false };
  }
  if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    return { error: new PorticoError('BAD_REQUEST', 'request body does not match Content-Length', { cause: err }), connectFailure: false, clientGone: false };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return { error: new PorticoError('UPSTREAM_ERROR', 'upstream connection reset', { cause: err, retryable: true }), connectFailure: false, clientGone: false };
  }
  return { error: new PorticoError('UPSTREAM_ERROR', 'invalid upstream response', { cause: err }), connectFailure: false, clientGone: false };
}
