// Answers produced by Portico itself: JSON error bodies (SPEC §3.2) and small JSON documents.
import type { ServerResponse } from 'node:http';
import { errorBody, type PorticoError } from '../../../shared/src/errors.js';

export function sendError(res: ServerResponse, err: PorticoError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(err.type, err.message, requestId);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
  };
  if (err.retryAfter !== undefined) headers['retry-after'] = Math.max(1, Math.ceil(err.retryAfter));
  res.writeHead(err.status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, requestId: string): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** A raw HTTP/1.1 error answer for sockets the HTTP parser rejected (no ServerResponse exists). */
export function rawErrorResponse(status: number, reason: string, type: string, message: string): string {
  const body = errorBody(type, message, '');
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
