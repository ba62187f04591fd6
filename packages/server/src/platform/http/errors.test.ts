import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let s: { cookie: string };
let inboxId: string;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '20000' } });
  const f = makeFactories(t);
  s = await f.session(await f.user({ role: 'admin' }));
  inboxId = (await f.inbox()).id;
});
afterAll(() => t?.close());

const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...s, 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code, type: expect.stringContaining('https://'), title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
};

describe('bad input is a clear 4xx, never a 500', () => {
  it('malformed JSON', async () => expectProblem(await post('/api/v1/teams', '{"name": "x",'), 400, 'MALFORMED_JSON'));

  it('unknown fields, with the field named', async () => {
    const res = await post('/api/v1/teams', { name: 'x', colour: 'red' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(res.json().errors)).toContain('colour');
  });

  it('over-long strings, with the field named', async () => {
    const res = await post('/api/v1/contacts', { name: 'x'.repeat(201) });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.json().errors[0].field).toBe('body.name');
  });

  it('bad ids in the path and the body', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/conversations/not-a-uuid', headers: s }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${crypto.randomUUID()}`, headers: s }), 404, 'NOT_FOUND');
    expectProblem(await post('/api/v1/conversations', { inboxId: 'nope', contact: {}, message: { text: 'x' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await post('/api/v1/conversations', { inboxId: crypto.randomUUID(), contact: {}, message: { text: 'x' } }), 404, 'NOT_FOUND');
    expectProblem(await post('/api/v1/conversations', { inboxId, contact: {}, message: { text: 'x' }, assigneeId: crypto.randomUUID() }), 400, 'VALIDATION_FAILED');
  });

  it('wrong types, empty bodies and bad query values', async () => {
    expectProblem(await post('/api/v1/teams', { name: 42 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post('/api/v1/teams', ''), 400, 'MALFORMED_JSON');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=1000', headers: s }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/conversations?status=lost', headers: s }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/conversations?surprise=1', headers: s }), 400, 'VALIDATION_FAILED');
  });

  it('a body over the limit is 413', async () => expectProblem(await post('/api/v1/contacts', { name: 'x', customAttributes: { a: 'y'.repeat(30_000) } }), 413, 'PAYLOAD_TOO_LARGE'));

  it('a body that is not JSON is 415', async () => expectProblem(await post('/api/v1/teams', 'name=x', { 'content-type': 'text/csv' }), 415, 'UNSUPPORTED_MEDIA_TYPE'));

  it('an unknown endpoint is 404 with its own code', async () => expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: s }), 404, 'ROUTE_NOT_FOUND'));

  it('conflicts are 409', async () => {
    await post('/api/v1/teams', { name: 'Twins' });
    expectProblem(await post('/api/v1/teams', { name: 'Twins' }), 409, 'CONFLICT');
    await post('/api/v1/contacts', { identities: [{ kind: 'email', value: 'dup@example.com' }] });
    expectProblem(await post('/api/v1/contacts', { identities: [{ kind: 'email', value: 'DUP@example.com' }] }), 409, 'IDENTITY_TAKEN');
  });
});

describe('rate limits', () => {
  it('answers 429 with a problem document past the per-minute limit', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const codes = [];
      for (let i = 0; i < 7; i++) codes.push((await limited.app.inject({ method: 'GET', url: '/api/v1/conversations', remoteAddress: '10.7.7.7' })).statusCode);
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      const res = await limited.app.inject({ method: 'GET', url: '/api/v1/conversations', remoteAddress: '10.7.7.7' });
      expectProblem(res, 429, 'RATE_LIMITED');
      expect(res.headers['retry-after']).toBeDefined();
    } finally { await limited.close(); }
  });
});
