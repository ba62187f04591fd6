import { useEffect, useState } from 'react';
import type { TContact, TConversation } from '@careline/shared';
import { get, qs } from '../../lib/api.ts';
import { initials } from '../../lib/data.ts';
import { lang$, useT } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatDate, formatShort, formatTime } from '../../lib/time.ts';
import { Icon } from '../inbox/icons.tsx';

type Org = { id: string; name: string; domain: string | null };
const IDENTITY_ICON = { email: 'email', phone: 'phone', visitor: 'chat', external: 'api' } as const;

/** Who the customer is, and their other conversations one click away. */
export const CustomerPanel = ({ conversation, contact, tz }: { conversation: TConversation; contact: TContact | null; tz: string }) => {
  const t = useT();
  const lang = useStore(lang$);
  const { path, search } = useLocation();
  const [org, setOrg] = useState<Org | null>(null);
  const [previous, setPrevious] = useState<TConversation[] | null>(null);

  useEffect(() => {
    setOrg(null);
    if (contact?.organizationId) void get<Org>(`/organizations/${contact.organizationId}`).then(setOrg).catch(() => {});
  }, [contact?.organizationId]);
  useEffect(() => {
    setPrevious(null);
    void get<{ items: TConversation[] }>(`/conversations${qs({ contactId: conversation.contactId, limit: 20 })}`)
      .then((p) => setPrevious(p.items.filter((c) => c.id !== conversation.id))).catch(() => setPrevious([]));
  }, [conversation.contactId, conversation.id]);

  const view = path.split('/')[2] ?? 'all';
  const name = contact?.name || contact?.identities[0]?.value || t('conv.customer');
  const attrs = Object.entries(contact?.customAttributes ?? {});
  return (
    <aside className="customer" aria-label={t('sidebar.customer')}>
      <div className="customer-head">
        <span className="avatar avatar-lg avatar-customer" aria-hidden>{initials(name)}</span>
        <div>
          <h2 className="customer-name">{name}</h2>
          <span className={`chip ${contact?.isInternal ? 'chip-internal' : 'chip-external'}`}>{contact?.isInternal ? t('sidebar.internal') : t('sidebar.external')}</span>
        </div>
      </div>
      {contact && (
        <dl className="facts">
          {contact.identities.map((i) => (
            <div key={`${i.kind}:${i.value}`} className="fact"><dt><Icon name={IDENTITY_ICON[i.kind]} label={i.kind} /></dt><dd className="fact-value">{i.value}</dd></div>
          ))}
          {org && <div className="fact"><dt>{t('sidebar.organization')}</dt><dd>{org.name}{org.domain ? <small className="muted"> · {org.domain}</small> : null}</dd></div>}
          {contact.language && <div className="fact"><dt>{t('sidebar.language')}</dt><dd>{t(`lang.${contact.language}`)}</dd></div>}
          {contact.timeZone && <div className="fact"><dt>{t('sidebar.time_zone')}</dt><dd>{formatTime(new Date().toISOString(), lang, contact.timeZone)} <small className="muted">({contact.timeZone})</small></dd></div>}
          <div className="fact"><dt className="sr-only">{t('admin.created_at')}</dt><dd className="muted">{t('sidebar.since', { date: formatDate(contact.createdAt, lang, tz) })}</dd></div>
        </dl>
      )}
      {attrs.length > 0 && (
        <>
          <h3 className="side-title">{t('sidebar.attributes')}</h3>
          <dl className="facts">{attrs.map(([k, v]) => <div key={k} className="fact"><dt>{k}</dt><dd>{String(v)}</dd></div>)}</dl>
        </>
      )}
      <h3 className="side-title">{t('sidebar.previous')}</h3>
      {previous === null && <p className="muted">{t('common.loading')}</p>}
      {previous?.length === 0 && <p className="muted">{t('sidebar.no_previous')}</p>}
      <ul className="previous">
        {previous?.map((c) => (
          <li key={c.id}>
            <a href={`/inbox/${view}/c/${c.id}`} onClick={(e) => { e.preventDefault(); navigate(`/inbox/${view}/c/${c.id}${search}`); }}>
              <span className={`dot dot-${c.status}`} aria-label={t(`status.${c.status}`)} role="img" />
              <span className="prev-subject">#{c.number} {c.subject || c.lastMessagePreview}</span>
              <time className="muted" dateTime={c.lastActivityAt}>{formatShort(c.lastActivityAt, lang, tz)}</time>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
};
