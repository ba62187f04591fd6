import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Channel, ConversationStatus, Language, Role, TCannedReply, TInbox, TUser } from '@careline/shared';
import { ApiError, del, get, patch, post } from '../../lib/api.ts';
import { directory$, loadCustomStatuses, loadDirectory, me$, toast, type CustomStatus, type Team } from '../../lib/data.ts';
import { LANGS, lang$, useT, type T } from '../../lib/i18n.ts';
import { navigate } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatDateTime, formatShort } from '../../lib/time.ts';
import { Icon } from '../inbox/icons.tsx';

const SECTIONS = [['agents', 'nav.agents'], ['teams', 'nav.teams_admin'], ['inboxes', 'nav.inboxes_admin'], ['canned', 'nav.canned'], ['statuses', 'nav.custom_statuses'], ['tokens', 'nav.tokens'], ['webhooks', 'nav.webhooks']] as const;
const CHANNELS: Channel[] = ['email', 'chat', 'webform', 'api', 'phone', 'messaging'];
const EVENTS = ['conversation.created', 'conversation.updated', 'conversation.status_changed', 'conversation.assigned', 'conversation.merged', 'message.created', 'message.updated', 'contact.created', 'contact.updated', 'contact.merged'];

const fail = (t: T) => (e: unknown) => toast(t('common.error', { detail: (e as Error).message }), 'error');
const useList = <X,>(path: string) => {
  const [items, setItems] = useState<X[] | null>(null);
  const reload = () => get<X[]>(path).then(setItems).catch(() => setItems([]));
  useEffect(() => { void reload(); }, [path]); // eslint-disable-line react-hooks/exhaustive-deps
  return [items, reload] as const;
};

const Members = ({ value, onChange, label }: { value: string[]; onChange: (v: string[]) => void; label: string }) => {
  const dir = useStore(directory$);
  return (
    <fieldset className="members"><legend>{label}</legend>
      {dir.users.filter((u) => !u.isDisabled).map((u) => (
        <label key={u.id} className="toggle"><input type="checkbox" checked={value.includes(u.id)} onChange={(e) => onChange(e.target.checked ? [...value, u.id] : value.filter((x) => x !== u.id))} />{u.name}</label>
      ))}
    </fieldset>
  );
};

/** A secret shown once, with a copy button (falls back to selecting the text where the Clipboard API is unavailable, e.g. plain http). */
const Secret = ({ label, value }: { label: string; value: string }) => {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const code = useRef<HTMLElement>(null);
  useEffect(() => setCopied(false), [value]);
  const copy = () => {
    const select = () => { const r = document.createRange(); if (code.current) { r.selectNodeContents(code.current); getSelection()?.removeAllRanges(); getSelection()?.addRange(r); } };
    if (!navigator.clipboard) { select(); return; }
    navigator.clipboard.writeText(value).then(() => setCopied(true), select);
  };
  return (
    <div className="secret" role="status">
      <p>{label}</p>
      <div className="secret-row"><code ref={code} data-testid="secret-value">{value}</code>
        <button type="button" className="btn btn-sm" onClick={copy}><Icon name={copied ? 'check' : 'copy'} size={14} />{copied ? t('admin.copied') : t('admin.copy')}</button></div>
    </div>
  );
};

const Agents = ({ t }: { t: T }) => {
  const [users, reload] = useList<TUser>('/users');
  const me = useStore(me$)!;
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, password: '', language: 'en' as Language });
  const create = async (e: FormEvent) => { e.preventDefault(); await post('/users', form).then(() => { setForm({ ...form, name: '', email: '', password: '' }); void reload(); void loadDirectory(); }).catch(fail(t)); };
  const update = (id: string, body: Record<string, unknown>) => patch(`/users/${id}`, body).then(() => { void reload(); void loadDirectory(); }).catch(fail(t));
  return (
    <>
      {me.role === 'admin' && (
        <form className="card form-row" onSubmit={create}>
          <label className="field"><span>{t('admin.name')}</span><input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label className="field"><span>{t('admin.email')}</span><input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></label>
          <label className="field"><span>{t('admin.role')}</span><select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>{(['agent', 'supervisor', 'admin'] as const).map((r) => <option key={r} value={r}>{t(`admin.role.${r}`)}</option>)}</select></label>
          <label className="field"><span>{t('profile.language')}</span><select value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value as Language })}>{LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}</select></label>
          <label className="field"><span>{t('admin.password')}</span><input type="password" minLength={10} required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /></label>
          <button className="btn btn-primary" type="submit">{t('admin.create')}</button>
        </form>
      )}
      <table className="table">
        <thead><tr><th>{t('admin.name')}</th><th>{t('admin.email')}</th><th>{t('admin.role')}</th><th>{t('profile.language')}</th><th /></tr></thead>
        <tbody>{users?.map((u) => (
          <tr key={u.id} className={u.isDisabled ? 'disabled' : ''}>
            <td>{u.name}</td><td>{u.email}</td>
            <td>{me.role === 'admin' && u.id !== me.id
              ? <select aria-label={`${t('admin.role')} ${u.name}`} value={u.role} onChange={(e) => void update(u.id, { role: e.target.value })}>{(['agent', 'supervisor', 'admin'] as const).map((r) => <option key={r} value={r}>{t(`admin.role.${r}`)}</option>)}</select>
              : t(`admin.role.${u.role}`)}</td>
            <td>{t(`lang.${u.language}`)}</td>
            <td className="actions">{me.role === 'admin' && u.id !== me.id && <button className="btn btn-sm" onClick={() => void update(u.id, { isDisabled: !u.isDisabled })}>{u.isDisabled ? t('admin.enable') : t('admin.disable')}</button>}</td>
          </tr>
        ))}</tbody>
      </table>
    </>
  );
};

const Teams = ({ t }: { t: T }) => {
  const [teams, reload] = useList<Team>('/teams');
  const dir = useStore(directory$);
  const [editing, setEditing] = useState<Partial<Team> | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: editing!.name, description: editing!.description ?? '', memberIds: editing!.memberIds ?? [] };
    await (editing!.id ? patch(`/teams/${editing!.id}`, body) : post('/teams', body)).then(() => { setEditing(null); void reload(); void loadDirectory(); }).catch(fail(t));
  };
  return (
    <>
      {editing ? (
        <form className="card form-grid" onSubmit={save}>
          <label className="field"><span>{t('admin.name')}</span><input required value={editing.name ?? ''} onChange={(e) => setEditing({ ...editing, name: e.target.value })} /></label>
          <label className="field"><span>{t('admin.description')}</span><input value={editing.description ?? ''} onChange={(e) => setEditing({ ...editing, description: e.target.value })} /></label>
          <Members label={t('admin.members')} value={editing.memberIds ?? []} onChange={(memberIds) => setEditing({ ...editing, memberIds })} />
          <div className="form-actions"><button className="btn btn-primary" type="submit">{t('admin.save')}</button><button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>{t('admin.cancel')}</button></div>
        </form>
      ) : <button className="btn btn-primary" onClick={() => setEditing({ memberIds: [] })}>{t('admin.create')}</button>}
      <table className="table">
        <thead><tr><th>{t('admin.name')}</th><th>{t('admin.description')}</th><th>{t('admin.members')}</th><th /></tr></thead>
        <tbody>{teams?.map((x) => (
          <tr key={x.id}><td>{x.name}</td><td>{x.description}</td><td>{x.memberIds.map((id) => dir.users.find((u) => u.id === id)?.name).filter(Boolean).join(', ')}</td>
            <td className="actions"><button className="btn btn-sm" onClick={() => setEditing(x)}>{t('admin.edit')}</button>
              <button className="btn btn-sm btn-danger" onClick={() => { if (confirm(t('admin.confirm_delete', { name: x.name }))) void del(`/teams/${x.id}`).then(() => { void reload(); void loadDirectory(); }).catch(fail(t)); }}>{t('admin.delete')}</button></td></tr>
        ))}</tbody>
      </table>
    </>
  );
};

const Inboxes = ({ t }: { t: T }) => {
  const [inboxes, reload] = useList<TInbox>('/inboxes');
  const dir = useStore(directory$);
  const [editing, setEditing] = useState<Partial<TInbox> | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<{ text: string; detail: string } | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const common = { name: editing!.name, emailAddress: editing!.emailAddress || null, memberIds: editing!.memberIds ?? [], businessName: editing!.businessName ?? '', greeting: editing!.greeting ?? '' };
    await (editing!.id ? patch(`/inboxes/${editing!.id}`, common) : post<{ secret: string }>('/inboxes', { ...common, channel: editing!.channel ?? 'email' }).then((r) => setSecret({ label: t('admin.secret_created'), value: r.secret })))
      .then(() => { setEditing(null); void reload(); void loadDirectory(); }).catch(fail(t));
  };
  // The secret authenticates raw-mail webhooks and API ingest; a new one replaces the old at once.
  const rotate = (x: TInbox) => {
    if (!confirm(t('admin.confirm_rotate', { name: x.name }))) return;
    setError(null);
    void post<{ secret: string }>(`/inboxes/${x.id}/rotate-secret`).then((r) => setSecret({ label: t('admin.secret_rotated', { name: x.name }), value: r.secret })).catch(fail(t));
  };
  const remove = (x: TInbox) => {
    if (!confirm(t('admin.confirm_delete', { name: x.name }))) return;
    setError(null); setSecret(null);
    void del(`/inboxes/${x.id}`).then(() => { void reload(); void loadDirectory(); }).catch((e: unknown) => {
      // 409 CONFLICT: the inbox still has conversations (the server refuses; conversations are never deleted with it).
      if (e instanceof ApiError && e.status === 409) setError({ text: t('admin.inbox_in_use', { name: x.name }), detail: e.message });
      else fail(t)(e);
    });
  };
  return (
    <>
      {secret && <Secret label={secret.label} value={secret.value} />}
      {error && <div className="inline-error" role="alert" title={error.detail}>{error.text}</div>}
      {editing ? (
        <form className="card form-grid" onSubmit={save}>
          <label className="field"><span>{t('admin.name')}</span><input required value={editing.name ?? ''} onChange={(e) => setEditing({ ...editing, name: e.target.value })} /></label>
          {!editing.id && <label className="field"><span>{t('admin.channel')}</span><select value={editing.channel ?? 'email'} onChange={(e) => setEditing({ ...editing, channel: e.target.value as Channel })}>{CHANNELS.map((c) => <option key={c} value={c}>{t(`channel.${c}`)}</option>)}</select></label>}
          <label className="field"><span>{t('admin.email_address')}</span><input type="email" value={editing.emailAddress ?? ''} onChange={(e) => setEditing({ ...editing, emailAddress: e.target.value })} /></label>
          <Members label={t('admin.members')} value={editing.memberIds ?? []} onChange={(memberIds) => setEditing({ ...editing, memberIds })} />
          <div className="form-actions"><button className="btn btn-primary" type="submit">{t('admin.save')}</button><button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>{t('admin.cancel')}</button></div>
        </form>
      ) : <button className="btn btn-primary" onClick={() => { setSecret(null); setError(null); setEditing({ memberIds: [], channel: 'email' }); }}>{t('admin.create')}</button>}
      <table className="table">
        <thead><tr><th>{t('admin.name')}</th><th>{t('admin.channel')}</th><th>{t('admin.email_address')}</th><th>{t('admin.members')}</th><th /></tr></thead>
        <tbody>{inboxes?.map((x) => (
          <tr key={x.id}><td>{x.name}</td><td>{t(`channel.${x.channel}`)}</td><td>{x.emailAddress ?? '—'}</td>
            <td>{x.memberIds.map((id) => dir.users.find((u) => u.id === id)?.name).filter(Boolean).join(', ')}</td>
            <td className="actions"><button className="btn btn-sm" onClick={() => setEditing(x)}>{t('admin.edit')}</button>
              <button className="btn btn-sm" onClick={() => rotate(x)}>{t('admin.rotate_secret')}</button>
              <button className="btn btn-sm btn-danger" onClick={() => remove(x)}>{t('admin.delete')}</button></td></tr>
        ))}</tbody>
      </table>
    </>
  );
};

const Canned = ({ t }: { t: T }) => {
  const [items, reload] = useList<TCannedReply>('/canned-replies');
  const [editing, setEditing] = useState<Partial<TCannedReply> | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = { shortcut: editing!.shortcut, title: editing!.title, text: editing!.text };
    await (editing!.id ? patch(`/canned-replies/${editing!.id}`, body) : post('/canned-replies', body)).then(() => { setEditing(null); void reload(); }).catch(fail(t));
  };
  return (
    <>
      {editing ? (
        <form className="card form-grid" onSubmit={save}>
          <label className="field"><span>{t('admin.shortcut')}</span><input required pattern="[a-z0-9][a-z0-9_\-]*" value={editing.shortcut ?? ''} onChange={(e) => setEditing({ ...editing, shortcut: e.target.value.toLowerCase() })} /></label>
          <label className="field"><span>{t('admin.title')}</span><input required value={editing.title ?? ''} onChange={(e) => setEditing({ ...editing, title: e.target.value })} /></label>
          <label className="field field-wide"><span>{t('admin.text')}</span><textarea required rows={5} value={editing.text ?? ''} onChange={(e) => setEditing({ ...editing, text: e.target.value })} /></label>
          <p className="muted field-wide">{t('admin.placeholders', { list: '{{contact.first_name}} {{contact.name}} {{contact.email}} {{agent.name}} {{agent.first_name}} {{conversation.id}} {{inbox.name}}' })}</p>
          <div className="form-actions"><button className="btn btn-primary" type="submit">{t('admin.save')}</button><button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>{t('admin.cancel')}</button></div>
        </form>
      ) : <button className="btn btn-primary" onClick={() => setEditing({})}>{t('admin.create')}</button>}
      <table className="table">
        <thead><tr><th>{t('admin.shortcut')}</th><th>{t('admin.title')}</th><th>{t('admin.text')}</th><th /></tr></thead>
        <tbody>{items?.map((r) => (
          <tr key={r.id}><td><code>/{r.shortcut}</code></td><td>{r.title}</td><td className="clip">{r.text}</td>
            <td className="actions"><button className="btn btn-sm" onClick={() => setEditing(r)}>{t('admin.edit')}</button>
              <button className="btn btn-sm btn-danger" onClick={() => { if (confirm(t('admin.confirm_delete', { name: r.title }))) void del(`/canned-replies/${r.id}`).then(reload).catch(fail(t)); }}>{t('admin.delete')}</button></td></tr>
        ))}</tbody>
      </table>
    </>
  );
};

type Token = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
const Tokens = ({ t }: { t: T }) => {
  const [items, reload] = useList<Token>('/api-tokens');
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = async (e: FormEvent) => { e.preventDefault(); await post<{ token: string }>('/api-tokens', { name }).then((r) => { setCreated(r.token); setName(''); void reload(); }).catch(fail(t)); };
  return (
    <>
      {created && <Secret label={t('admin.token_created')} value={created} />}
      <form className="card form-row" onSubmit={create}>
        <label className="field"><span>{t('admin.name')}</span><input required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <button className="btn btn-primary" type="submit">{t('admin.create')}</button>
      </form>
      <table className="table">
        <thead><tr><th>{t('admin.name')}</th><th>Prefix</th><th>{t('admin.created_at')}</th><th>{t('admin.last_used')}</th><th /></tr></thead>
        <tbody>{items?.map((x) => (
          <tr key={x.id} className={x.revokedAt ? 'disabled' : ''}><td>{x.name}</td><td><code>{x.prefix}…</code></td><td>{formatShort(x.createdAt, lang, me.timeZone)}</td>
            <td>{x.lastUsedAt ? formatShort(x.lastUsedAt, lang, me.timeZone) : t('admin.never')}</td>
            <td className="actions">{x.revokedAt ? t('admin.revoked') : <button className="btn btn-sm btn-danger" onClick={() => void del(`/api-tokens/${x.id}`).then(reload).catch(fail(t))}>{t('admin.revoke')}</button>}</td></tr>
        ))}</tbody>
      </table>
    </>
  );
};

type Hook = { id: string; url: string; events: string[]; isActive: boolean; createdAt: string };
type Delivery = {
  id: string; webhookId: string; event: string; eventId: string; status: 'pending' | 'delivered' | 'failed'; attempts: number;
  responseStatus: number | null; error: string | null; createdAt: string; deliveredAt: string | null; nextAttemptAt: string | null;
};
const DELIVERY_ICON = { pending: 'clock', delivered: 'check', failed: 'alert' } as const;
/** "HTTP 500 · receiver is down" (the stored error repeats the status; shown once), or the network error, or —. */
const responseText = (d: Delivery) => {
  const detail = (d.error ?? '').replace(/^HTTP \d{3}:?\s*/, '');
  if (d.responseStatus === null) return d.error ?? '—';
  return <><code>HTTP {d.responseStatus}</code>{detail ? ` · ${detail}` : ''}</>;
};

/** The last 100 deliveries of one webhook: outcome, attempts, the receiver's answer, the next retry; redeliver any of them. */
const Deliveries = ({ hook, t, onClose }: { hook: Hook; t: T; onClose: () => void }) => {
  const [items, reload] = useList<Delivery>(`/webhooks/${hook.id}/deliveries`);
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const hasPending = !!items?.some((d) => d.status === 'pending');
  useEffect(() => {
    if (!hasPending) return;
    const timer = setInterval(() => void reload(), 5000);
    return () => clearInterval(timer);
  }, [hasPending, hook.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const redeliver = (d: Delivery) => post(`/webhooks/${hook.id}/deliveries/${d.id}/redeliver`).then(() => { toast(t('admin.redelivered')); void reload(); }).catch(fail(t));
  const when = (iso: string | null) => (iso ? formatShort(iso, lang, me.timeZone) : '—');
  return (
    <section className="deliveries" aria-label={t('admin.deliveries_of', { url: hook.url })}>
      <div className="deliveries-head">
        <h2>{t('admin.deliveries_of', { url: hook.url })}</h2>
        <button className="btn btn-sm" onClick={() => void reload()}>{t('admin.refresh')}</button>
        <button className="btn btn-sm btn-ghost" onClick={onClose}>{t('admin.close')}</button>
      </div>
      {items?.length === 0 ? <p className="muted">{t('admin.no_deliveries')}</p> : (
        <table className="table">
          <thead><tr><th>{t('admin.created_at')}</th><th>{t('admin.event')}</th><th>{t('admin.status')}</th><th>{t('admin.attempts')}</th><th>{t('admin.response')}</th><th>{t('admin.next_attempt')}</th><th /></tr></thead>
          <tbody>{items?.map((d) => (
            <tr key={d.id} data-delivery={d.id}>
              <td title={formatDateTime(d.createdAt, lang, me.timeZone)}>{when(d.createdAt)}</td>
              <td><code>{d.event}</code></td>
              <td><span className={`delivery-status ds-${d.status}`}><Icon name={DELIVERY_ICON[d.status]} size={13} />{t(`admin.delivery.${d.status}`)}</span>
                {d.deliveredAt && <small className="muted" title={formatDateTime(d.deliveredAt, lang, me.timeZone)}> · {when(d.deliveredAt)}</small>}</td>
              <td>{d.attempts}</td>
              <td className="response">{responseText(d)}</td>
              <td title={d.nextAttemptAt ? formatDateTime(d.nextAttemptAt, lang, me.timeZone) : undefined}>{d.status === 'pending' ? when(d.nextAttemptAt) : '—'}</td>
              <td className="actions"><button className="btn btn-sm" onClick={() => void redeliver(d)}>{t('admin.redeliver')}</button></td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
};

const Webhooks = ({ t }: { t: T }) => {
  const [items, reload] = useList<Hook>('/webhooks');
  const [log, setLog] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['conversation.created', 'message.created']);
  const [secret, setSecret] = useState<string | null>(null);
  const create = async (e: FormEvent) => { e.preventDefault(); await post<{ secret: string }>('/webhooks', { url, events }).then((r) => { setSecret(r.secret); setUrl(''); void reload(); }).catch(fail(t)); };
  return (
    <>
      {secret && <Secret label={t('admin.secret_created')} value={secret} />}
      <form className="card form-grid" onSubmit={create}>
        <label className="field field-wide"><span>{t('admin.url')}</span><input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" /></label>
        <fieldset className="members field-wide"><legend>{t('admin.events')}</legend>
          {EVENTS.map((ev) => <label key={ev} className="toggle"><input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} /><code>{ev}</code></label>)}
        </fieldset>
        <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={!events.length}>{t('admin.create')}</button></div>
      </form>
      <table className="table">
        <thead><tr><th>{t('admin.url')}</th><th>{t('admin.events')}</th><th /></tr></thead>
        <tbody>{items?.map((h) => (
          <tr key={h.id} className={`${h.isActive ? '' : 'disabled'} ${log === h.id ? 'selected' : ''}`}><td className="clip">{h.url}</td><td>{h.events.length}</td>
            <td className="actions"><button className="btn btn-sm" aria-pressed={log === h.id} onClick={() => setLog(log === h.id ? null : h.id)}>{t('admin.deliveries')}</button>
              <button className="btn btn-sm" onClick={() => void patch(`/webhooks/${h.id}`, { isActive: !h.isActive }).then(reload).catch(fail(t))}>{h.isActive ? t('admin.disable') : t('admin.enable')}</button>
              <button className="btn btn-sm btn-danger" onClick={() => { if (confirm(t('admin.confirm_delete', { name: h.url }))) void del(`/webhooks/${h.id}`).then(reload).catch(fail(t)); }}>{t('admin.delete')}</button></td></tr>
        ))}</tbody>
      </table>
      {log && items?.some((h) => h.id === log) && <Deliveries key={log} hook={items.find((h) => h.id === log)!} t={t} onClose={() => setLog(null)} />}
    </>
  );
};

/** Named statuses over the five base states ("Waiting for warehouse" counts as pending); used from the conversation's status menu. */
const BASE_STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved', 'closed'];
const CustomStatuses = ({ t }: { t: T }) => {
  const [items, reload] = useList<CustomStatus>('/custom-statuses');
  const me = useStore(me$)!;
  const lang = useStore(lang$);
  const [form, setForm] = useState({ name: '', baseStatus: 'pending' as ConversationStatus });
  const changed = () => { void reload(); void loadCustomStatuses(); };
  const create = async (e: FormEvent) => { e.preventDefault(); await post('/custom-statuses', form).then(() => { setForm({ ...form, name: '' }); changed(); }).catch(fail(t)); };
  const isAdmin = me.role === 'admin';
  return (
    <>
      <p className="hint">{t('admin.custom_status_hint')}</p>
      {isAdmin && (
        <form className="card form-row" onSubmit={create}>
          <label className="field"><span>{t('admin.name')}</span><input required maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label className="field"><span>{t('admin.base_status')}</span>
            <select value={form.baseStatus} onChange={(e) => setForm({ ...form, baseStatus: e.target.value as ConversationStatus })}>{BASE_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}</select></label>
          <button className="btn btn-primary" type="submit">{t('admin.create')}</button>
        </form>
      )}
      {items?.length === 0 ? <p className="muted">{t('admin.empty')}</p> : (
        <table className="table">
          <thead><tr><th>{t('admin.name')}</th><th>{t('admin.base_status')}</th><th>{t('admin.created_at')}</th><th /></tr></thead>
          <tbody>{items?.map((s) => (
            <tr key={s.id}><td>{s.name}</td><td><span className={`chip status-chip st-${s.baseStatus}`}>{t(`status.${s.baseStatus}`)}</span></td>
              <td>{formatShort(s.createdAt, lang, me.timeZone)}</td>
              <td className="actions">{isAdmin && <button className="btn btn-sm btn-danger" onClick={() => { if (confirm(t('admin.confirm_delete', { name: s.name }))) void del(`/custom-statuses/${s.id}`).then(changed).catch(fail(t)); }}>{t('admin.delete')}</button>}</td></tr>
          ))}</tbody>
        </table>
      )}
    </>
  );
};

/** Settings for supervisors and admins; a separate chunk, loaded only when opened. */
export const AdminPage = ({ section }: { section: string }) => {
  const t = useT();
  const me = useStore(me$)!;
  const adminOnly = ['inboxes', 'webhooks'].includes(section) && me.role !== 'admin';
  const body: Record<string, ReactNode> = { agents: <Agents t={t} />, teams: <Teams t={t} />, inboxes: <Inboxes t={t} />, canned: <Canned t={t} />, statuses: <CustomStatuses t={t} />, tokens: <Tokens t={t} />, webhooks: <Webhooks t={t} /> };
  return (
    <div className="page page-wide">
      <h1>{t('nav.admin')}</h1>
      <nav className="tabs" aria-label={t('nav.admin')}>
        {SECTIONS.map(([key, label]) => (
          <a key={key} href={`/admin/${key}`} className={`tab ${section === key ? 'active' : ''}`} aria-current={section === key ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); navigate(`/admin/${key}`); }}>{t(label)}</a>
        ))}
      </nav>
      {adminOnly ? <p className="muted">{t('admin.forbidden')}</p> : body[section] ?? body.agents}
    </div>
  );
};
