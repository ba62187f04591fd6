import { useEffect, useState } from 'react';
import type { TInbox } from '@careline/shared';
import { fillPlaceholders } from '../../../../shared/src/placeholders.ts';
import { get, api } from '../../lib/api.ts';
import { me$, toast } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';

/**
 * The signature the server adds under an email reply (operations/send-mail.ts): the agent's own
 * signature in this inbox when set, else the inbox signature; {{agent.name}} and {{inbox.name}} filled.
 */
/** Loaded once per user and inbox (every conversation of the inbox shows the same signatures). */
const cache = new Map<string, { personal: string; inbox: string }>();

export const SignaturePreview = ({ inbox }: { inbox: TInbox }) => {
  const t = useT();
  const me = useStore(me$)!;
  const key = `${me.id}:${inbox.id}`;
  const cached = cache.get(key);
  const [personal, setPersonal] = useState<string | null>(cached?.personal ?? null);
  const [inboxSignature, setInboxSignature] = useState<string>(cached?.inbox ?? '');
  const [editing, setEditing] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (cache.has(key)) return;
    let live = true;
    void get<{ signature: string; inboxSignature: string }>(`/inboxes/${inbox.id}/email-signature`).then((r) => {
      cache.set(key, { personal: r.signature, inbox: r.inboxSignature });
      if (live) { setPersonal(r.signature); setInboxSignature(r.inboxSignature); }
    }).catch(() => {});
    return () => { live = false; };
  }, [key, inbox.id]);

  if (personal === null) return null;
  const fill = (s: string) => fillPlaceholders(s, { 'agent.name': me.name, 'inbox.name': inbox.name }).trim();
  const own = fill(personal);
  const shown = own || fill(inboxSignature);

  const save = async (value: string) => {
    try {
      const r = await api<{ signature: string }>('PUT', `/inboxes/${inbox.id}/email-signature`, { signature: value });
      setPersonal(r.signature);
      cache.set(key, { personal: r.signature, inbox: inboxSignature });
      setEditing(null);
      toast(t('signature.saved'));
    } catch (e) { toast(t('common.error', { detail: (e as Error).message }), 'error'); }
  };

  return (
    <div className="signature" data-testid="signature-preview">
      <button type="button" className="link signature-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t('signature.title')}{!open && shown ? <span className="signature-peek"> — {shown.split('\n')[0]}</span> : null}
      </button>
      {open && editing === null && (
        <div className="signature-body">
          {shown ? <pre className="signature-text">{'-- \n'}{shown}</pre> : <span className="muted">{t('signature.none')}</span>}
          <span className="signature-source muted">{own ? t('signature.yours') : t('signature.from_inbox')}</span>
          <button type="button" className="link" onClick={() => setEditing(personal)}>{t('signature.edit')}</button>
        </div>
      )}
      {open && editing !== null && (
        <div className="signature-edit">
          <textarea rows={3} value={editing} maxLength={10_000} aria-label={t('signature.edit')} onChange={(e) => setEditing(e.target.value)}
            placeholder={t('signature.placeholder')} />
          <div className="signature-actions">
            <span className="muted">{t('signature.placeholders_hint')}</span>
            {personal && <button type="button" className="btn btn-sm" onClick={() => void save('')}>{t('signature.use_inbox')}</button>}
            <button type="button" className="btn btn-sm" onClick={() => setEditing(null)}>{t('recipients.cancel')}</button>
            <button type="button" className="btn btn-sm btn-primary" onClick={() => void save(editing)}>{t('signature.save')}</button>
          </div>
        </div>
      )}
    </div>
  );
};
