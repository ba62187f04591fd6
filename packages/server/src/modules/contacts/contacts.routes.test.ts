import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let s: { cookie: string };
beforeAll(async () => { t = await createTestApp(); f = makeFactories(t); s = await f.session(await f.user({ role: 'supervisor' })); });
afterAll(() => t?.close());
const api = (method: string, url: string, payload?: object) => t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: s, payload });

describe('contacts and organizations', () => {
  it('creates a customer profile with identities, organisation, language, birthday and attributes', async () => {
    const org = (await api('POST', '/organizations', { name: 'Lumen Retail', domain: 'Lumen.example' })).json();
    expect(org.domain).toBe('lumen.example');
    const res = await api('POST', '/contacts', {
      name: 'Nguyễn Thị Hoa', language: 'vi', timeZone: 'Asia/Ho_Chi_Minh', birthday: '1992-09-02', isInternal: false,
      organizationId: org.id, customAttributes: { plan: 'Gold', orders: 3 },
      identities: [{ kind: 'email', value: 'Hoa@Example.VN' }, { kind: 'phone', value: '+84 (90) 123-4567' }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Nguyễn Thị Hoa', language: 'vi', birthday: '1992-09-02', organizationId: org.id, customAttributes: { plan: 'Gold', orders: 3 },
      identities: [{ kind: 'email', value: 'hoa@example.vn' }, { kind: 'phone', value: '+84901234567' }],
    });
    expect((await api('POST', '/contacts', { timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await api('POST', '/contacts', { birthday: '1992-13-40' })).statusCode).toBe(400);
  });

  it('searches customers by name, email and phone, paged', async () => {
    for (let i = 0; i < 3; i++) await api('POST', '/contacts', { name: `Zofia Nowak ${i}`, identities: [{ kind: 'email', value: `zofia${i}@example.pl` }] });
    const page1 = (await api('GET', '/contacts?q=zofia&limit=2')).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await api('GET', `/contacts?q=zofia&limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect((await api('GET', '/contacts?q=zofia1@')).json().items.map((c: { name: string }) => c.name)).toEqual(['Zofia Nowak 1']);
  });

  it('merges two customers: identities and conversations move, empty fields are filled, the other is gone', async () => {
    const inbox = await f.inbox();
    const a = (await api('POST', '/contacts', { name: 'Piotr', identities: [{ kind: 'email', value: 'piotr@work.pl' }], customAttributes: { tier: 'A' } })).json();
    const b = (await api('POST', '/contacts', { name: '', language: 'pl', birthday: '1980-01-01', identities: [{ kind: 'phone', value: '+48 600 100 200' }], customAttributes: { tier: 'B', vip: true } })).json();
    const conv = (await api('POST', '/conversations', { inboxId: inbox.id, contactId: b.id, message: { text: 'Dzień dobry' } })).json();
    const merged = await api('POST', `/contacts/${a.id}/merge`, { sourceId: b.id });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ name: 'Piotr', language: 'pl', birthday: '1980-01-01', customAttributes: { tier: 'A', vip: true } });
    expect(merged.json().identities.map((i: { value: string }) => i.value).sort()).toEqual(['+48600100200', 'piotr@work.pl']);
    expect((await api('GET', `/conversations/${conv.id}`)).json().contactId).toBe(a.id);
    expect((await api('GET', `/contacts/${b.id}`)).statusCode).toBe(404);
    expect((await api('POST', `/contacts/${a.id}/merge`, { sourceId: a.id })).json().code).toBe('MERGE_INVALID');
  });

  it('refuses to delete a customer who has conversations', async () => {
    const inbox = await f.inbox();
    const c = (await api('POST', '/contacts', { name: 'Keep' })).json();
    await api('POST', '/conversations', { inboxId: inbox.id, contactId: c.id, message: { text: 'x' } });
    expect((await api('DELETE', `/contacts/${c.id}`)).statusCode).toBe(409);
    const lonely = (await api('POST', '/contacts', { name: 'Gone' })).json();
    expect((await api('DELETE', `/contacts/${lonely.id}`)).statusCode).toBe(204);
  });
});
