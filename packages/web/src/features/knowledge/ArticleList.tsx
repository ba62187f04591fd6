import { useEffect, useRef, useState } from 'react';
import type { ArticleStatus, Language, TKbArticle, TKbCategory } from '@careline/shared';
import { get, qs } from '../../lib/api.ts';
import { me$ } from '../../lib/data.ts';
import { LANGS, lang$, useT } from '../../lib/i18n.ts';
import { navigate } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatDateTime, formatShort } from '../../lib/time.ts';
import { Icon } from '../inbox/icons.tsx';
import { STATUSES, categoryLabel, categoryTree, localized, preferredTranslation } from './kb.ts';

type Filters = { q: string; status: '' | ArticleStatus; categoryId: string; lang: '' | Language; isInternal: '' | 'true' | 'false' };
type Page = { items: TKbArticle[]; nextCursor: string | null };

/** All articles (drafts, archived and internal ones included), newest change first, or ranked by the search. */
export const ArticleList = ({ categories }: { categories: TKbCategory[] }) => {
  const t = useT();
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const [filters, setFilters] = useState<Filters>({ q: '', status: '', categoryId: '', lang: '', isInternal: '' });
  const [q, setQ] = useState('');
  const [page, setPage] = useState<Page | null>(null);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const request = useRef(0);

  // The search box waits for a pause in typing; the selects apply at once.
  useEffect(() => { const timer = setTimeout(() => setFilters((f) => (f.q === q ? f : { ...f, q })), 250); return () => clearTimeout(timer); }, [q]);

  const query = (cursor?: string) => `/knowledge/articles${qs({ q: filters.q.trim(), status: filters.status, categoryId: filters.categoryId, lang: filters.lang, isInternal: filters.isInternal, limit: 50, cursor })}`;
  useEffect(() => {
    const n = ++request.current;
    setPage(null);
    get<Page>(query()).then((p) => { if (n === request.current) setPage(p); }).catch(() => { if (n === request.current) setPage({ items: [], nextCursor: null }); });
  }, [filters]); // eslint-disable-line react-hooks/exhaustive-deps

  const more = () => {
    if (!page?.nextCursor) return;
    setLoadingMore(true);
    const n = request.current;
    void get<Page>(query(page.nextCursor)).then((p) => { if (n === request.current) setPage((old) => ({ items: [...(old?.items ?? []), ...p.items], nextCursor: p.nextCursor })); })
      .finally(() => setLoadingMore(false));
  };
  const open = (a: TKbArticle) => navigate(`/knowledge/articles/${a.id}`);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <>
      <div className="kb-toolbar">
        <label className="search kb-search"><Icon name="search" size={15} />
          <input type="search" aria-label={t('kb.search')} placeholder={t('kb.search')} value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <button className="btn btn-primary" onClick={() => navigate('/knowledge/new')}>{t('kb.new_article')}</button>
      </div>
      <div className="filters kb-filters">
        <select aria-label={t('kb.filter.status')} value={filters.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })}>
          <option value="">{t('kb.filter.any_status')}</option>
          {STATUSES.map((s) => <option key={s} value={s}>{t(`kb.status.${s}`)}</option>)}
        </select>
        <select aria-label={t('kb.filter.category')} value={filters.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
          <option value="">{t('kb.filter.any_category')}</option>
          {categoryTree(categories).map(({ category, sections }) => [
            <option key={category.id} value={category.id}>{localized(category.names, lang)}</option>,
            ...sections.map((s) => <option key={s.id} value={s.id}>{`\u00a0\u00a0— ${localized(s.names, lang)}`}</option>),
          ])}
        </select>
        <select aria-label={t('kb.filter.language')} value={filters.lang} onChange={(e) => set({ lang: e.target.value as Filters['lang'] })}>
          <option value="">{t('kb.filter.any_language')}</option>
          {LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
        </select>
        <select aria-label={t('kb.filter.visibility')} value={filters.isInternal} onChange={(e) => set({ isInternal: e.target.value as Filters['isInternal'] })}>
          <option value="">{t('kb.filter.any_visibility')}</option>
          <option value="false">{t('kb.public')}</option>
          <option value="true">{t('kb.internal')}</option>
        </select>
      </div>
      {page === null ? <p className="muted">{t('common.loading')}</p> : page.items.length === 0 ? (
        <p className="muted kb-empty">{filters.q || filters.status || filters.categoryId || filters.lang || filters.isInternal ? t('kb.empty_filtered') : t('kb.empty')}</p>
      ) : (
        <table className="table kb-table">
          <thead><tr><th>{t('kb.title')}</th><th>{t('kb.category')}</th><th>{t('kb.translations')}</th><th>{t('kb.updated')}</th></tr></thead>
          <tbody>{page.items.map((a) => {
            const main = preferredTranslation(a, lang);
            return (
              <tr key={a.id} className="kb-row" data-article={a.id} onClick={() => open(a)}>
                <td>
                  <a href={`/knowledge/articles/${a.id}`} className="kb-title" onClick={(e) => { if (e.metaKey || e.ctrlKey) { e.stopPropagation(); return; } e.preventDefault(); }}>{main?.title ?? t('kb.untitled')}</a>
                  <div className="kb-row-meta">
                    {a.isInternal && <span className="chip chip-internal">{t('kb.internal')}</span>}
                    {a.tags.map((tag) => <span key={tag} className="chip tag">{tag}</span>)}
                  </div>
                </td>
                <td>{categoryLabel(categories, a.categoryId, lang) ?? <span className="muted">—</span>}</td>
                <td><span className="kb-langs">{LANGS.map((l) => {
                  const x = a.translations.find((y) => y.language === l);
                  const label = `${t(`lang.${l}`)}: ${x ? t(`kb.status.${x.status}`) : t('kb.status.missing')}`;
                  return <span key={l} className={`kb-lang kb-st-${x?.status ?? 'missing'}`} title={label} aria-label={label} role="img">{l}</span>;
                })}</span></td>
                <td><time dateTime={a.updatedAt} title={formatDateTime(a.updatedAt, lang, me.timeZone)}>{formatShort(a.updatedAt, lang, me.timeZone)}</time></td>
              </tr>
            );
          })}</tbody>
        </table>
      )}
      {!!page?.items.length && (
        <p className="kb-legend-row muted" aria-hidden>
          {(['published', 'draft', 'archived', 'missing'] as const).map((s) => <span key={s}><span className={`kb-lang kb-st-${s}`}>en</span> {t(`kb.status.${s}`)}</span>)}
        </p>
      )}
      {page?.nextCursor && <button className="btn kb-more" disabled={isLoadingMore} onClick={more}>{t('list.load_more')}</button>}
    </>
  );
};
