import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../lib/i18n.ts';

export type PickerOption = { id: string; label: string; hint?: string; group?: string; icon?: ReactNode; isCurrent?: boolean; run: () => void | Promise<void> };

/**
 * A keyboard-first command menu (type to filter, ↑/↓, Enter, Esc) used for assign, status, priority,
 * tags, snooze and merge, so an agent never needs the mouse.
 */
export const Picker = ({ title, options, onClose, custom, footer }: {
  title: string; options: PickerOption[]; onClose: () => void;
  custom?: (text: string) => PickerOption | null; footer?: (close: () => void) => ReactNode;
}) => {
  const t = useT();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => { input.current?.focus(); }, []);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = needle ? options.filter((o) => `${o.label} ${o.hint ?? ''}`.toLowerCase().includes(needle)) : options;
    const extra = needle && custom ? custom(q.trim()) : null;
    return extra && !list.some((o) => o.label.toLowerCase() === needle) ? [...list, extra] : list;
  }, [q, options, custom]);
  useEffect(() => setActive(0), [q]);

  const choose = async (o: PickerOption | undefined) => { if (!o) return; onClose(); await o.run(); };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="picker" role="dialog" aria-modal="true" aria-label={title} onMouseDown={(e) => e.stopPropagation()}>
        <div className="picker-title">{title}</div>
        <input ref={input} className="picker-input" placeholder={t('pick.filter')} value={q} aria-label={title}
          role="combobox" aria-expanded="true" aria-controls="picker-list" aria-activedescendant={shown[active] ? `pick-${active}` : undefined}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(shown.length - 1, a + 1)); }
            else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
            else if (e.key === 'Enter') { e.preventDefault(); void choose(shown[active]); }
            else if (e.key === 'Escape') { e.preventDefault(); onClose(); }
          }} />
        <ul className="picker-list" id="picker-list" role="listbox">
          {shown.length === 0 && <li className="picker-empty">{t('pick.empty')}</li>}
          {shown.map((o, i) => (
            <li key={o.id} id={`pick-${i}`} role="option" aria-selected={i === active} className={`picker-item ${i === active ? 'active' : ''}`}
              onMouseEnter={() => setActive(i)} onClick={() => void choose(o)}>
              {o.group && (i === 0 || shown[i - 1]!.group !== o.group) && <span className="picker-group">{o.group}</span>}
              <span className="picker-row">{o.icon}<span className="picker-label">{o.label}</span>{o.hint && <span className="picker-hint">{o.hint}</span>}{o.isCurrent && <span className="picker-current">✓</span>}</span>
            </li>
          ))}
        </ul>
        {footer?.(onClose)}
      </div>
    </div>
  );
};

export const HelpDialog = ({ onClose }: { onClose: () => void }) => {
  const t = useT();
  const rows: [string, Parameters<typeof t>[0]][] = [
    ['j / k', 'keys.move'], ['Enter', 'keys.open'], ['r', 'keys.reply'], ['n', 'keys.note'], ['a', 'keys.assign'], ['s', 'keys.status'],
    ['p', 'keys.priority'], ['t', 'keys.tags'], ['z', 'keys.snooze'], ['e', 'keys.resolve'], ['m', 'keys.merge'], ['x', 'keys.select'],
    ['/', 'keys.search'], ['Ctrl+Enter', 'keys.send'], ['Ctrl+K', 'keys.insert_article'], ['c', 'keys.new_email'], ['Esc', 'keys.close'], ['?', 'keys.help'],
  ];
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => { close.current?.focus(); }, []);
  return (
    <div className="modal-backdrop" onMouseDown={onClose} onKeyDown={(e) => { if (e.key === 'Escape' || e.key === '?') { e.preventDefault(); onClose(); } }}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" onMouseDown={(e) => e.stopPropagation()}>
        <div className="dialog-head"><h2 id="help-title">{t('keys.title')}</h2><button ref={close} className="btn btn-ghost" onClick={onClose}>{t('common.close')}</button></div>
        <dl className="keys">{rows.map(([k, label]) => <div key={k} className="keys-row"><dt><kbd>{k}</kbd></dt><dd>{t(label)}</dd></div>)}</dl>
      </div>
    </div>
  );
};
