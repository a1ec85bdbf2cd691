// requestIdOf: keep a sane client X-Request-ID, generate one otherwise.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { requestIdOf } from '../../../../data-plane/src/proxy/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const req = (value: string | string[] | undefined) => ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

for (const id of ['a', 'abc-123_x.y:z+/=', 'a'.repeat(128)]) {
  test(`kept: ${id.slice(0, 24)}`, () => assert.equal(requestIdOf(req(id)), id));
}
for (const [why, value] of [['absent', undefined], ['empty', ''], ['too long', 'a'.repeat(129)], ['space', 'a b'], ['comma', 'a,b'], ['quote', 'a"b'], ['newline', 'a\nb'], ['array', ['a', 'b']]] as const) {
  test(`generated when ${why}`, () => assert.match(requestIdOf(req(value as string | string[] | undefined)), UUID));
}
