import { useMemo, useState } from 'react';
import type { Language, TKbRevision } from '@careline/shared';
import { me$, userName } from '../../lib/data.ts';
import { lang$, type T } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';
import { formatDateTime, formatShort } from '../../lib/time.ts';
import { cleanForEditor, wordDelta } from './kb.ts';

/** What changed from the previous version of the same translation, in words an editor reads at a glance. */
const changes = (rev: TKbRevision, prev: TKbRevision | undefined, t: T): string[] => {
  if (!prev) return [t('kb.rev.first')];
  const out: string[] = [];
  if (rev.title !== prev.title) out.push(t('kb.rev.title', { from: prev.title, to: rev.title }));
  if (rev.slug !== prev.slug) out.push(t('kb.rev.slug', { to: rev.slug }));
  if (rev.status !== prev.status) out.push(t('kb.rev.status', { from: t(`kb.status.${prev.status}`), to: t(`kb.status.${rev.status}`) }));
  if (rev.bodyHtml !== prev.bodyHtml) {
    const d = wordDelta(prev.bodyHtml, rev.bodyHtml);
    out.push(d.added || d.removed ? t('kb.rev.body_words', { added: d.added, removed: d.removed }) : t('kb.rev.body_format'));
  }
  return out.length ? out : [t('kb.rev.nothing')];
};

const ACTIONS = ['created', 'updated', 'status', 'restored'] as const;

/** The revision history of one translation, newest first; any older version can be made current again. */
export const Revisions = ({ revisions, language, t, onRestore }: {
  revisions: TKbRevision[] | null; language: Language; t: T; onRestore: (rev: TKbRevision) => void;
}) => {
  const me = useStore(me$)!;
  const lang = useStore(lang$);
  const [open, setOpen] = useState<string | null>(null);
  const list = useMemo(() => (revisions ?? []).filter((r) => r.language === language).sort((a, b) => b.version - a.version), [revisions, language]);
  // Word differences parse HTML: computed when the history changes, not on every keystroke in the editor.
  const changeLists = useMemo(() => list.map((r, i) => changes(r, list[i + 1], t)), [list, lang]); // eslint-disable-line react-hooks/exhaustive-deps -- t follows lang
  const latest = list[0]?.version;
  return (
    <section className="kb-revisions" aria-label={t('kb.revisions')}>
      <h2>{t('kb.revisions')} <small className="muted">{t(`lang.${language}`)}</small></h2>
      {revisions === null ? <p className="muted">{t('common.loading')}</p> : list.length === 0 ? <p className="muted">{t('kb.rev.none')}</p> : (
        <ol className="rev-list">
          {list.map((r, i) => (
            <li key={r.id} className="rev" data-version={r.version}>
              <div className="rev-head">
                <strong>v{r.version}</strong>
                <span className="chip">{(ACTIONS as readonly string[]).includes(r.action) ? t(`kb.action.${r.action as (typeof ACTIONS)[number]}`) : r.action}</span>
                <span className={`chip kb-st kb-st-${r.status}`}>{t(`kb.status.${r.status}`)}</span>
                {r.version === latest && <span className="chip chip-current">{t('kb.rev.current')}</span>}
              </div>
              <div className="rev-meta muted">
                {userName(r.authorId) ?? t('kb.rev.system')} · <time dateTime={r.createdAt} title={formatDateTime(r.createdAt, lang, me.timeZone)}>{formatShort(r.createdAt, lang, me.timeZone)}</time>
              </div>
              <ul className="rev-changes">{changeLists[i]!.map((c) => <li key={c}>{c}</li>)}</ul>
              {r.note && <p className="rev-note">“{r.note}”</p>}
              <div className="rev-actions">
                <button type="button" className="btn btn-sm btn-ghost" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                  {open === r.id ? t('kb.rev.hide') : t('kb.rev.show')}
                </button>
                {r.version !== latest && <button type="button" className="btn btn-sm" onClick={() => onRestore(r)}>{t('kb.rev.restore', { v: r.version })}</button>}
              </div>
              {open === r.id && (
                <div className="rev-preview">
                  <h3>{r.title}</h3>
                  <div className="article-body" dangerouslySetInnerHTML={{ __html: cleanForEditor(r.bodyHtml) }} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
