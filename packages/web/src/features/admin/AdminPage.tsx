import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Channel, Language, Role, TCannedReply, TInbox, TUser } from '@careline/shared';
import { del, get, patch, post } from '../../lib/api.ts';
import { directory$, loadDirectory, me$, toast, type Team } from '../../lib/data.ts';
import { LANGS, lang$, useT, type T } from '../../lib/i18n.ts';
import { navigate } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatShort } from '../../lib/time.ts';

const SECTIONS = [['agents', 'nav.agents'], ['teams', 'nav.teams_admin'], ['inboxes', 'nav.inboxes_admin'], ['canned', 'nav.canned'], ['tokens', 'nav.tokens'], ['webhooks', 'nav.webhooks']] as const;
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

const Secret = ({ label, value }: { label: string; value: string }) => <div className="secret" role="status"><p>{label}</p><code>{value}</code></div>;

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
  const [secret, setSecret] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const common = { name: editing!.name, emailAddress: editing!.emailAddress || null, memberIds: editing!.memberIds ?? [], businessName: editing!.businessName ?? '', greeting: editing!.greeting ?? '' };
    await (editing!.id ? patch(`/inboxes/${editing!.id}`, common) : post<{ secret: string }>('/inboxes', { ...common, channel: editing!.channel ?? 'email' }).then((r) => setSecret(r.secret)))
      .then(() => { setEditing(null); void reload(); void loadDirectory(); }).catch(fail(t));
  };
  return (
    <>
      {secret && <Secret label={t('admin.secret_created')} value={secret} />}
      {editing ? (
        <form className="card form-grid" onSubmit={save}>
          <label className="field"><span>{t('admin.name')}</span><input required value={editing.name ?? ''} onChange={(e) => setEditing({ ...editing, name: e.target.value })} /></label>
          {!editing.id && <label className="field"><span>{t('admin.channel')}</span><select value={editing.channel ?? 'email'} onChange={(e) => setEditing({ ...editing, channel: e.target.value as Channel })}>{CHANNELS.map((c) => <option key={c} value={c}>{t(`channel.${c}`)}</option>)}</select></label>}
          <label className="field"><span>{t('admin.email_address')}</span><input type="email" value={editing.emailAddress ?? ''} onChange={(e) => setEditing({ ...editing, emailAddress: e.target.value })} /></label>
          <Members label={t('admin.members')} value={editing.memberIds ?? []} onChange={(memberIds) => setEditing({ ...editing, memberIds })} />
          <div className="form-actions"><button className="btn btn-primary" type="submit">{t('admin.save')}</button><button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>{t('admin.cancel')}</button></div>
        </form>
      ) : <button className="btn btn-primary" onClick={() => { setSecret(null); setEditing({ memberIds: [], channel: 'email' }); }}>{t('admin.create')}</button>}
      <table className="table">
        <thead><tr><th>{t('admin.name')}</th><th>{t('admin.channel')}</th><th>{t('admin.email_address')}</th><th>{t('admin.members')}</th><th /></tr></thead>
        <tbody>{inboxes?.map((x) => (
          <tr key={x.id}><td>{x.name}</td><td>{t(`channel.${x.channel}`)}</td><td>{x.emailAddress ?? '—'}</td>
            <td>{x.memberIds.map((id) => dir.users.find((u) => u.id === id)?.name).filter(Boolean).join(', ')}</td>
            <td className="actions"><button className="btn btn-sm" onClick={() => setEditing(x)}>{t('admin.edit')}</button></td></tr>
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
const Webhooks = ({ t }: { t: T }) => {
  const [items, reload] = useList<Hook>('/webhooks');
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
          <tr key={h.id} className={h.isActive ? '' : 'disabled'}><td className="clip">{h.url}</td><td>{h.events.length}</td>
            <td className="actions"><button className="btn btn-sm" onClick={() => void patch(`/webhooks/${h.id}`, { isActive: !h.isActive }).then(reload).catch(fail(t))}>{h.isActive ? t('admin.disable') : t('admin.enable')}</button>
              <button className="btn btn-sm btn-danger" onClick={() => { if (confirm(t('admin.confirm_delete', { name: h.url }))) void del(`/webhooks/${h.id}`).then(reload).catch(fail(t)); }}>{t('admin.delete')}</button></td></tr>
        ))}</tbody>
      </table>
    </>
  );
};

/** Settings for supervisors and admins; a separate chunk, loaded only when opened. */
export const AdminPage = ({ section }: { section: string }) => {
  const t = useT();
  const me = useStore(me$)!;
  const adminOnly = ['inboxes', 'webhooks'].includes(section) && me.role !== 'admin';
  const body: Record<string, ReactNode> = { agents: <Agents t={t} />, teams: <Teams t={t} />, inboxes: <Inboxes t={t} />, canned: <Canned t={t} />, tokens: <Tokens t={t} />, webhooks: <Webhooks t={t} /> };
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
