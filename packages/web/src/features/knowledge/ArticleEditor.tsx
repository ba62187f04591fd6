import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ArticleStatus, Language, TKbArticle, TKbCategory, TKbRevision, TKbTranslation } from '@careline/shared';
import { api, del, get, patch, post } from '../../lib/api.ts';
import { me$, toast, userName } from '../../lib/data.ts';
import { LANGS, lang$, useT } from '../../lib/i18n.ts';
import { navigate, setLeaveGuard, useLocation } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatDateTime } from '../../lib/time.ts';
import { RichText } from './RichText.tsx';
import { Revisions } from './Revisions.tsx';
import { SLUG_PATTERN, categoryTree, cleanForEditor, fail, helpCenterHref, localized, parseTags, permissions, slugFrom } from './kb.ts';

// One article: a tab per language (each translation has its own title, address and status), the article's
// settings (category or section, internal-only, tags, default language) and the revision history.

type Draft = { title: string; slug: string; bodyHtml: string; note: string };
type Meta = { categoryId: string | null; isInternal: boolean; tags: string; defaultLanguage: Language };

const EMPTY: Draft = { title: '', slug: '', bodyHtml: '', note: '' };
// Bodies are compared in the browser's own serialisation, so opening and leaving the editor is not a change.
const draftOf = (tr: TKbTranslation | undefined): Draft => (tr ? { title: tr.title, slug: tr.slug, bodyHtml: cleanForEditor(tr.bodyHtml), note: '' } : EMPTY);
const metaOf = (a: TKbArticle | null, lang: Language): Meta =>
  a ? { categoryId: a.categoryId, isInternal: a.isInternal, tags: a.tags.join(', '), defaultLanguage: a.defaultLanguage } : { categoryId: null, isInternal: false, tags: '', defaultLanguage: lang };
/** An editor that was only clicked into holds "<p><br></p>": the same as empty. */
const body = (h: string) => (h.replace(/<br\s*\/?>|<\/?p>|&nbsp;|\s/gi, '') === '' ? '' : h);
const sameDraft = (a: Draft, b: Draft) => a.title === b.title && a.slug === b.slug && body(a.bodyHtml) === body(b.bodyHtml);
const sameMeta = (a: Meta, b: Meta) => a.categoryId === b.categoryId && a.isInternal === b.isInternal && parseTags(a.tags).join() === parseTags(b.tags).join() && a.defaultLanguage === b.defaultLanguage;
const translationOf = (a: TKbArticle | null, l: Language) => a?.translations.find((x) => x.language === l);

export const ArticleEditor = ({ id, categories }: { id: string | null; categories: TKbCategory[] }) => {
  const t = useT();
  const uiLang = useStore(lang$);
  const me = useStore(me$)!;
  const can = permissions(me.role);
  const { search } = useLocation();
  const [article, setArticle] = useState<TKbArticle | null>(null);
  const [isMissing, setMissing] = useState(false);
  const [active, setActive] = useState<Language>(() => {
    const l = new URLSearchParams(search).get('lang');
    return (LANGS as string[]).includes(l ?? '') ? (l as Language) : uiLang;
  });
  const [meta, setMeta] = useState<Meta>(() => metaOf(null, active));
  const [drafts, setDrafts] = useState<Record<Language, Draft>>({ en: EMPTY, vi: EMPTY, pl: EMPTY });
  const [revisions, setRevisions] = useState<TKbRevision[] | null>(null);
  const [busy, setBusy] = useState(false);
  const leaving = useRef(false);

  const loadRevisions = useCallback((articleId: string) => get<TKbRevision[]>(`/knowledge/articles/${articleId}/revisions`).then(setRevisions).catch(() => setRevisions([])), []);

  /** Takes the server's article; the languages in `reset` (or all, on first load) get their drafts replaced, others keep unsaved edits. */
  const apply = (a: TKbArticle, reset: Language[] | 'all') => {
    setArticle(a);
    setMeta(metaOf(a, a.defaultLanguage));
    setDrafts((prev) => {
      const next = { ...prev };
      for (const l of LANGS) {
        const isKept = reset !== 'all' && !reset.includes(l) && !sameDraft(prev[l], draftOf(translationOf(article, l)));
        if (!isKept) next[l] = draftOf(translationOf(a, l));
      }
      return next;
    });
  };

  useEffect(() => {
    if (!id) return;
    get<TKbArticle>(`/knowledge/articles/${id}`).then((a) => {
      apply(a, 'all');
      if (!new URLSearchParams(window.location.search).get('lang') && !translationOf(a, uiLang)) setActive(a.defaultLanguage);
    }).catch(() => setMissing(true));
    void loadRevisions(id);
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  // What is saved, per language (parsed once per article, not on every keystroke).
  const saved = useMemo(() => ({ en: draftOf(translationOf(article, 'en')), vi: draftOf(translationOf(article, 'vi')), pl: draftOf(translationOf(article, 'pl')) }), [article]);
  const dirtyLangs = LANGS.filter((l) => !sameDraft(drafts[l], saved[l]));
  const isMetaDirty = !sameMeta(meta, metaOf(article, article?.defaultLanguage ?? meta.defaultLanguage));
  const isDirty = dirtyLangs.length > 0 || (!!article && isMetaDirty);

  // Unsaved-changes guard: in-app navigation asks first, closing or reloading the tab gets the browser's prompt.
  const dirtyRef = useRef(isDirty);
  dirtyRef.current = isDirty;
  useEffect(() => {
    setLeaveGuard(() => leaving.current || !dirtyRef.current || window.confirm(t('kb.unsaved_confirm')));
    const onUnload = (e: BeforeUnloadEvent) => { if (dirtyRef.current && !leaving.current) e.preventDefault(); };
    window.addEventListener('beforeunload', onUnload);
    return () => { setLeaveGuard(null); window.removeEventListener('beforeunload', onUnload); };
  }, [uiLang]); // eslint-disable-line react-hooks/exhaustive-deps -- t follows the language

  if (isMissing) return <div className="page"><p className="muted">{t('kb.not_found')}</p><a href="/knowledge" onClick={(e) => { e.preventDefault(); navigate('/knowledge'); }}>{t('kb.back')}</a></div>;
  if (id && !article) return <div className="page-loading">{t('common.loading')}</div>;

  const tr = translationOf(article, active);
  const draft = drafts[active];
  const setDraft = (patchWith: Partial<Draft>) => setDrafts((d) => ({ ...d, [active]: { ...d[active], ...patchWith } }));
  const status: ArticleStatus | null = tr?.status ?? null;
  const href = tr && status === 'published' ? helpCenterHref(tr) : null;
  const source = translationOf(article, article?.defaultLanguage ?? 'en') ?? article?.translations[0];

  const save = async (nextStatus?: ArticleStatus) => {
    if (!draft.title.trim()) { toast(t('kb.title_required'), 'error'); return; }
    setBusy(true);
    try {
      const slug = draft.slug.trim() && draft.slug.trim() !== tr?.slug ? draft.slug.trim() : undefined;
      if (!article) {
        const a = await post<TKbArticle>('/knowledge/articles', {
          categoryId: meta.categoryId, isInternal: meta.isInternal, tags: parseTags(meta.tags), defaultLanguage: active,
          translation: { language: active, title: draft.title, slug, bodyHtml: draft.bodyHtml, status: nextStatus ?? 'draft' },
        });
        // Other languages typed before the first save are kept, as drafts.
        for (const l of LANGS) {
          const other = drafts[l];
          if (l === active || !other.title.trim()) continue;
          await api('PUT', `/knowledge/articles/${a.id}/translations/${l}`, { title: other.title, slug: other.slug.trim() || undefined, bodyHtml: other.bodyHtml, status: 'draft' });
        }
        toast(nextStatus === 'published' ? t('kb.published') : t('kb.saved'));
        leaving.current = true;
        navigate(`/knowledge/articles/${a.id}?lang=${active}`, { replace: true });
        return;
      }
      let a = article;
      if (isMetaDirty) {
        a = await patch<TKbArticle>(`/knowledge/articles/${article.id}`, { categoryId: meta.categoryId, isInternal: meta.isInternal, tags: parseTags(meta.tags), defaultLanguage: meta.defaultLanguage });
      }
      const isContentDirty = !tr || !sameDraft(draft, saved[active]);
      if (isContentDirty && tr) {
        // The API has no version check: ask before overwriting what a colleague saved since this page loaded.
        const latest = translationOf(await get<TKbArticle>(`/knowledge/articles/${article.id}`), active);
        if (latest && latest.version !== tr.version && !window.confirm(t('kb.conflict_confirm', { v: latest.version, name: userName(latest.updatedById) ?? '—' }))) return;
      }
      if (isContentDirty) {
        a = await api<TKbArticle>('PUT', `/knowledge/articles/${article.id}/translations/${active}`, {
          title: draft.title, slug, bodyHtml: draft.bodyHtml, status: nextStatus ?? (tr ? undefined : 'draft'), note: draft.note.trim() || undefined,
        });
      } else if (nextStatus && nextStatus !== tr.status) {
        a = await post<TKbArticle>(`/knowledge/articles/${article.id}/translations/${active}/status`, { status: nextStatus });
      }
      apply(a, [active]);
      void loadRevisions(article.id);
      toast(nextStatus === 'published' ? t('kb.published') : nextStatus === 'archived' ? t('kb.archived') : t('kb.saved'));
    } catch (e) { fail(t)(e); } finally { setBusy(false); }
  };

  const restore = async (rev: TKbRevision) => {
    if (!article) return;
    const question = dirtyLangs.includes(rev.language) ? t('kb.rev.restore_dirty_confirm', { v: rev.version }) : t('kb.rev.restore_confirm', { v: rev.version });
    if (!window.confirm(question)) return;
    try {
      const a = await post<TKbArticle>(`/knowledge/articles/${article.id}/revisions/${rev.id}/restore`);
      apply(a, [rev.language]);
      void loadRevisions(article.id);
      toast(t('kb.rev.restored', { v: rev.version }));
    } catch (e) { fail(t)(e); }
  };

  const removeTranslation = async () => {
    if (!article || !tr || !window.confirm(t('kb.delete_translation_confirm', { lang: t(`lang.${active}`) }))) return;
    try { apply(await del<TKbArticle>(`/knowledge/articles/${article.id}/translations/${active}`), [active]); void loadRevisions(article.id); } catch (e) { fail(t)(e); }
  };
  const removeArticle = async () => {
    if (!article || !window.confirm(t('admin.confirm_delete', { name: source?.title ?? '' }))) return;
    try { await del(`/knowledge/articles/${article.id}`); leaving.current = true; toast(t('kb.deleted')); navigate('/knowledge'); } catch (e) { fail(t)(e); }
  };

  const submit = (e: FormEvent) => { e.preventDefault(); void save(); };
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); if (!busy) void save(); }
  };
  const tree = categoryTree(categories);

  return (
    <div className="page page-wide kb-editor">
      <div className="kb-editor-head">
        <a href="/knowledge" className="link" onClick={(e) => { e.preventDefault(); navigate('/knowledge'); }}>← {t('kb.articles')}</a>
        <h1>{article ? (source?.title ?? t('kb.untitled')) : t('kb.new_article')}</h1>
        {isDirty && <span className="chip kb-unsaved" role="status">{t('kb.unsaved')}</span>}
      </div>
      <div className="kb-editor-grid">
        <form className="card kb-form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={t('kb.editor')}>
          <div className="kb-lang-tabs" role="tablist" aria-label={t('kb.translations')}>
            {LANGS.map((l) => {
              const x = translationOf(article, l);
              return (
                <button key={l} type="button" role="tab" aria-selected={l === active} className={`tab ${l === active ? 'active' : ''}`} onClick={() => setActive(l)}>
                  {t(`lang.${l}`)}{dirtyLangs.includes(l) ? ' •' : ''}
                  <span className={`chip kb-st kb-st-${x?.status ?? 'missing'}`}>{x ? t(`kb.status.${x.status}`) : t('kb.status.missing')}</span>
                </button>
              );
            })}
          </div>
          {!tr && article && (
            <div className="kb-missing" role="note">
              <p>{t('kb.missing_hint', { lang: t(`lang.${active}`), fallback: t(`lang.${article.defaultLanguage}`) })}</p>
              {source && !draft.title && !draft.bodyHtml && (
                <button type="button" className="btn btn-sm" onClick={() => setDraft({ title: source.title, bodyHtml: cleanForEditor(source.bodyHtml) })}>
                  {t('kb.copy_from', { lang: t(`lang.${source.language}`) })}
                </button>
              )}
            </div>
          )}
          <label className="field"><span>{t('kb.title')}</span>
            <input required maxLength={200} value={draft.title} lang={active} onChange={(e) => setDraft({ title: e.target.value })} /></label>
          <label className="field"><span>{t('kb.slug')}</span>
            <div className="kb-slug"><span className="muted">/help/{active}/articles/</span>
              <input value={draft.slug} pattern={SLUG_PATTERN} maxLength={120} placeholder={slugFrom(draft.title) || 'article'} onChange={(e) => setDraft({ slug: e.target.value.toLowerCase() })} /></div></label>
          <div className="field"><span id="kb-body-label">{t('kb.body')}</span>
            <RichText key={`${article?.id ?? 'new'}-${active}`} html={draft.bodyHtml} onChange={(bodyHtml) => setDraft({ bodyHtml })} label={t('kb.body')} t={t} /></div>
          {tr && <label className="field"><span>{t('kb.note')}</span><input maxLength={500} value={draft.note} placeholder={t('kb.note_placeholder')} onChange={(e) => setDraft({ note: e.target.value })} /></label>}
          <div className="kb-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>{status === 'published' ? t('kb.save_published') : status === 'archived' ? t('kb.save') : t('kb.save_draft')} <kbd aria-hidden>Ctrl S</kbd></button>
            {status !== 'published' && <button type="button" className="btn" disabled={busy} onClick={() => void save('published')}>{t('kb.publish')}</button>}
            {status === 'published' && <button type="button" className="btn" disabled={busy} onClick={() => void save('draft')}>{t('kb.unpublish')}</button>}
            {status === 'archived' && <button type="button" className="btn" disabled={busy} onClick={() => void save('draft')}>{t('kb.unarchive')}</button>}
            {status && status !== 'archived' && <button type="button" className="btn" disabled={busy} onClick={() => void save('archived')}>{t('kb.archive')}</button>}
            <span className="kb-actions-end">
              {href && <a className="btn btn-ghost" href={href} target="_blank" rel="noopener">{t('kb.view_in_help_center')} ↗</a>}
              {can.canDelete && tr && (article?.translations.length ?? 0) > 1 && <button type="button" className="btn btn-sm btn-danger" onClick={() => void removeTranslation()}>{t('kb.delete_translation')}</button>}
            </span>
          </div>
          {tr && (
            <p className="muted kb-stamp">
              {t('kb.version', { v: tr.version })} · {t('kb.updated_at', { time: formatDateTime(tr.updatedAt, uiLang, me.timeZone) })}
              {tr.publishedAt && <> · {t('kb.published_at', { time: formatDateTime(tr.publishedAt, uiLang, me.timeZone) })}</>}
              {href && dirtyLangs.includes(active) && <> · <strong>{t('kb.live_differs')}</strong></>}
            </p>
          )}
        </form>
        <aside className="kb-side">
          <section className="card kb-settings" aria-label={t('kb.settings')}>
            <h2>{t('kb.settings')}</h2>
            <label className="field"><span>{t('kb.category')}</span>
              <select value={meta.categoryId ?? ''} onChange={(e) => setMeta({ ...meta, categoryId: e.target.value || null })}>
                <option value="">{t('kb.no_category')}</option>
                {tree.map(({ category, sections }) => [
                  <option key={category.id} value={category.id}>{localized(category.names, uiLang)}</option>,
                  ...sections.map((s) => <option key={s.id} value={s.id}>{`\u00a0\u00a0— ${localized(s.names, uiLang)}`}</option>),
                ])}
              </select></label>
            <label className="toggle"><input type="checkbox" checked={meta.isInternal} onChange={(e) => setMeta({ ...meta, isInternal: e.target.checked })} />{t('kb.internal_only')}</label>
            <p className="hint">{t('kb.internal_hint')}</p>
            <label className="field"><span>{t('kb.tags')}</span><input value={meta.tags} placeholder={t('kb.tags_placeholder')} onChange={(e) => setMeta({ ...meta, tags: e.target.value })} /></label>
            {article && (
              <label className="field"><span>{t('kb.default_language')}</span>
                <select value={meta.defaultLanguage} onChange={(e) => setMeta({ ...meta, defaultLanguage: e.target.value as Language })}>
                  {LANGS.filter((l) => translationOf(article, l)).map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
                </select></label>
            )}
            {article && isMetaDirty && <p className="hint">{t('kb.settings_saved_with')}</p>}
            {can.canDelete && article && <button type="button" className="btn btn-sm btn-danger" onClick={() => void removeArticle()}>{t('kb.delete_article')}</button>}
          </section>
          {article && <Revisions revisions={revisions} language={active} t={t} onRestore={(r) => void restore(r)} />}
        </aside>
      </div>
    </div>
  );
};
