import { useCallback, useEffect, useState } from 'react';
import type { TKbCategory } from '@careline/shared';
import { get } from '../../lib/api.ts';
import { me$ } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import type { MessageKey } from '../../i18n/en.ts';
import { match, navigate } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { ArticleEditor } from './ArticleEditor.tsx';
import { ArticleList } from './ArticleList.tsx';
import { Categories } from './Categories.tsx';
import { DeflectionReport } from './DeflectionReport.tsx';
import { HelpCenterSettings } from './HelpCenterSettings.tsx';
import { permissions } from './kb.ts';
import './knowledge.css';

// The knowledge base in the agent app (a separate chunk, loaded when opened):
//   /knowledge                 articles list        /knowledge/new, /knowledge/articles/:id   editor
//   /knowledge/categories      categories/sections  /knowledge/report                        deflection report
//   /knowledge/settings        help-center settings (admins)

export const KnowledgePage = ({ path }: { path: string }) => {
  const t = useT();
  const me = useStore(me$)!;
  const can = permissions(me.role);
  const [categories, setCategories] = useState<TKbCategory[]>([]);
  const loadCategories = useCallback(() => get<TKbCategory[]>('/knowledge/categories').then(setCategories).catch(() => {}), []);
  useEffect(() => { void loadCategories(); }, [loadCategories]);

  const editing = match('/knowledge/articles/:id', path);
  if (editing || path === '/knowledge/new') return <ArticleEditor key={editing?.id ?? 'new'} id={editing?.id ?? null} categories={categories} />;

  const section = path === '/knowledge/categories' ? 'categories' : path === '/knowledge/report' && can.canSeeReport ? 'report'
    : path === '/knowledge/settings' && can.canEditSettings ? 'settings' : 'articles';
  const tabs: [string, string, MessageKey][] = [['articles', '/knowledge', 'kb.articles'], ['categories', '/knowledge/categories', 'kb.categories']];
  if (can.canSeeReport) tabs.push(['report', '/knowledge/report', 'kb.report']);
  if (can.canEditSettings) tabs.push(['settings', '/knowledge/settings', 'kb.hc.title']);
  return (
    <div className="page page-wide kb-page">
      <h1>{t('kb.title_page')}</h1>
      <nav className="tabs" aria-label={t('kb.title_page')}>
        {tabs.map(([key, to, label]) => (
          <a key={key} href={to} className={`tab ${section === key ? 'active' : ''}`} aria-current={section === key ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); navigate(to); }}>{t(label)}</a>
        ))}
      </nav>
      {section === 'articles' && <ArticleList categories={categories} />}
      {section === 'categories' && <Categories categories={categories} reload={loadCategories} />}
      {section === 'report' && <DeflectionReport />}
      {section === 'settings' && <HelpCenterSettings />}
    </div>
  );
};
