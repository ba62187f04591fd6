import { useEffect, useMemo, useRef, useState } from 'react';
import type { Language, TContact, TConversation, TMessage } from '@careline/shared';
import { get, qs } from '../../lib/api.ts';
import { useT } from '../../lib/i18n.ts';
import { conversationLanguage } from './addresses.ts';
import { Icon } from '../inbox/icons.tsx';

/** One help article as the composer offers it (GET /knowledge/suggestions and /knowledge/search agree on these). */
export type ArticleChoice = { id: string; title: string; url: string | null; language: Language; snippet: string; isInternal: boolean };
type SuggestResponse = { items: ArticleChoice[] };
type SearchResponse = { items: (Omit<ArticleChoice, 'id'> & { articleId: string })[] };

/** What the suggestions are for: the subject and the customer's latest message. */
export const suggestionText = (conversation: TConversation, messages: TMessage[]) => {
  const last = [...messages].reverse().find((m) => m.kind === 'incoming');
  return [conversation.subject, last?.text ?? conversation.lastMessagePreview].filter(Boolean).join('\n').slice(0, 4000);
};

/** "Title: https://…/article" — what goes into the reply. */
export const articleLinkText = (a: { title: string; url: string }) => `${a.title}: ${a.url}`;

const stripMarks = (html: string) => html.replace(/<\/?mark>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/**
 * Help articles to link in a reply (Ctrl+K in the composer): suggested for the conversation, in its
 * language, and a search box over all published articles. Internal articles are listed (agents may
 * read them) but cannot be linked: customers have no access.
 */
export const ArticlePicker = ({ conversation, contact, messages, onPick, onClose }: {
  conversation: TConversation; contact: TContact | null; messages: TMessage[];
  onPick: (a: ArticleChoice & { url: string }) => void; onClose: (refocus: boolean) => void;
}) => {
  const t = useT();
  const text = useMemo(() => suggestionText(conversation, messages), [conversation, messages]);
  const lang = useMemo(() => conversationLanguage(contact, text), [contact, text]);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<ArticleChoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => { input.current?.focus(); }, []);
  // A click anywhere else closes the list (clicks inside stop at the dialog's onMouseDown).
  useEffect(() => {
    const away = () => onClose(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);
  useEffect(() => {
    let live = true;
    const query = q.trim();
    const load = () => (query.length >= 2
      ? get<SearchResponse>(`/knowledge/search${qs({ q: query, lang, limit: 8 })}`).then((r) => r.items.map(({ articleId, ...h }) => ({ ...h, id: articleId })))
      : get<SuggestResponse>(`/knowledge/suggestions${qs({ q: text, lang, limit: 8 })}`).then((r) => r.items));
    const timer = setTimeout(() => {
      load().then((r) => { if (live) { setItems(r); setError(null); setActive(Math.max(0, r.findIndex((a) => a.url))); } })
        .catch((e: Error) => { if (live) setError(e.message); });
    }, query ? 250 : 0);
    return () => { live = false; clearTimeout(timer); };
  }, [q, text, lang]);

  const choose = (a: ArticleChoice | undefined) => { if (a?.url) onPick({ ...a, url: a.url }); };
  const move = (d: number) => {
    if (!items?.length) return;
    setActive((i) => (i + d + items.length) % items.length);
  };

  return (
    <div className="article-picker" role="dialog" aria-label={t('articles.title')} onMouseDown={(e) => e.stopPropagation()}>
      <div className="article-picker-head">
        <Icon name="article" />
        <input ref={input} type="search" value={q} placeholder={t('articles.search')} aria-label={t('articles.search')}
          role="combobox" aria-expanded="true" aria-controls="article-list" aria-activedescendant={items?.[active] ? `article-${active}` : undefined}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
            else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
            else if (e.key === 'Enter') { e.preventDefault(); choose(items?.[active]); }
            else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onClose(true); }
          }} />
        {lang && <span className="chip article-lang" title={t('articles.language')}>{lang}</span>}
      </div>
      <div className="article-picker-caption">{q.trim().length >= 2 ? t('articles.results') : t('articles.suggested')}</div>
      <ul className="article-list" id="article-list" role="listbox" aria-label={t('articles.title')}>
        {error && <li className="canned-empty" role="alert">{t('common.error', { detail: error })}</li>}
        {!error && items === null && <li className="canned-empty">{t('common.loading')}</li>}
        {!error && items?.length === 0 && <li className="canned-empty">{t('articles.empty')}</li>}
        {items?.map((a, i) => (
          <li key={`${a.id}-${a.language}`} id={`article-${i}`} role="option" aria-selected={i === active} aria-disabled={!a.url}
            className={`article-item ${i === active ? 'active' : ''} ${a.url ? '' : 'disabled'}`}
            onMouseEnter={() => setActive(i)} onMouseDown={(e) => { e.preventDefault(); choose(a); }}>
            <span className="article-title">{a.title}</span>
            <span className="article-meta">{a.language}{a.isInternal ? ` · ${t('articles.internal')}` : ''}</span>
            <span className="article-snippet">{stripMarks(a.snippet)}</span>
          </li>
        ))}
      </ul>
      <div className="canned-hint" aria-hidden>{t('articles.hint')}</div>
    </div>
  );
};
