import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { T } from '../../lib/i18n.ts';
import { cleanForEditor } from './kb.ts';

// The article body editor: a contenteditable with a small toolbar (the browser's editing commands), plus an HTML
// source view. The server sanitises what it stores (h1 becomes h2; scripts, styles and handlers are removed).

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Command = { key: string; label: Parameters<T>[0]; run: () => void; glyph: ReactNode };
const svg = (d: string) => <svg width="15" height="15" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden><path d={d} /></svg>;

export const RichText = ({ html, onChange, label, t }: { html: string; onChange: (html: string) => void; label: string; t: T }) => {
  const editor = useRef<HTMLDivElement>(null);
  const shown = useRef<string | null>(null);
  const [isSource, setSource] = useState(false);

  // Outside changes (another language tab, a restored revision, the source view) replace the content;
  // the editor's own input does not (it would move the caret).
  useEffect(() => {
    if (!editor.current || html === shown.current) return;
    editor.current.innerHTML = cleanForEditor(html);
    shown.current = html;
  }, [html, isSource]);

  const emit = () => {
    if (!editor.current) return;
    const v = editor.current.innerHTML;
    shown.current = v;
    onChange(v);
  };
  const exec = (cmd: string, value?: string) => {
    editor.current?.focus();
    document.execCommand(cmd, false, value);
    emit();
  };
  // Typing into an empty editor would leave a bare text node; start in a paragraph, and make Enter add paragraphs.
  const startParagraph = () => {
    document.execCommand('defaultParagraphSeparator', false, 'p');
    const el = editor.current;
    if (!el || el.textContent || el.querySelector('img')) return;
    el.innerHTML = '<p><br></p>';
    const range = document.createRange();
    range.setStart(el.firstChild!, 0);
    range.collapse(true);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
  };
  const link = () => {
    const url = window.prompt(t('kb.link_prompt'), 'https://');
    if (url && /^(https?:|mailto:|tel:|\/)/i.test(url.trim())) exec('createLink', url.trim());
  };
  const image = () => {
    const url = window.prompt(t('kb.image_prompt'), 'https://');
    if (!url || !/^https?:/i.test(url.trim())) return;
    const alt = window.prompt(t('kb.image_alt_prompt'), '') ?? '';
    exec('insertHTML', `<img src="${esc(url.trim())}" alt="${esc(alt)}">`);
  };

  const commands: Command[] = [
    { key: 'b', label: 'kb.bold', glyph: 'B', run: () => exec('bold') },
    { key: 'i', label: 'kb.italic', glyph: 'I', run: () => exec('italic') },
    { key: 'h2', label: 'kb.heading', glyph: 'H2', run: () => exec('formatBlock', 'h2') },
    { key: 'h3', label: 'kb.subheading', glyph: 'H3', run: () => exec('formatBlock', 'h3') },
    { key: 'p', label: 'kb.paragraph', glyph: '¶', run: () => exec('formatBlock', 'p') },
    { key: 'ul', label: 'kb.bullets', glyph: '•', run: () => exec('insertUnorderedList') },
    { key: 'ol', label: 'kb.numbers', glyph: '1.', run: () => exec('insertOrderedList') },
    { key: 'a', label: 'kb.link', glyph: svg('M6.5 9.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2L8 3.8 M9.5 6.5a3 3 0 0 0-4.2 0L2.7 9.1a3 3 0 0 0 4.2 4.2L8 12.2'), run: link },
    { key: 'img', label: 'kb.image', glyph: svg('M2 3h12v10H2z M2 11l3.5-3.5 3 3 2-2L14 12 M10.5 6.5h.01'), run: image },
  ];

  return (
    <div className={`rte ${isSource ? 'rte-source' : ''}`}>
      <div className="rte-bar" role="toolbar" aria-label={t('kb.formatting')}>
        {commands.map((c) => (
          <button key={c.key} type="button" className={`rte-btn rte-${c.key}`} title={t(c.label)} aria-label={t(c.label)} disabled={isSource}
            onMouseDown={(e) => e.preventDefault()} onClick={c.run}>{c.glyph}</button>
        ))}
        <label className="toggle rte-source-toggle"><input type="checkbox" checked={isSource} onChange={(e) => setSource(e.target.checked)} />{t('kb.html_source')}</label>
      </div>
      <div ref={editor} className="rte-body article-body" contentEditable={!isSource} suppressContentEditableWarning role="textbox" aria-multiline="true" aria-label={label}
        hidden={isSource} onInput={emit} onBlur={emit}
        onFocus={startParagraph}
        onKeyDown={(e) => {
          if (!(e.ctrlKey || e.metaKey)) return;
          if (e.key === 'b' || e.key === 'i') { e.preventDefault(); exec(e.key === 'b' ? 'bold' : 'italic'); }
          if (e.key === 'k') { e.preventDefault(); link(); }
        }} />
      {isSource && <textarea className="rte-html" aria-label={`${label} (HTML)`} value={html} spellCheck={false} onChange={(e) => onChange(e.target.value)} rows={16} />}
    </div>
  );
};
