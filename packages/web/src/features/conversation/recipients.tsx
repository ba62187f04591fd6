import { useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { useT } from '../../lib/i18n.ts';
import { Icon } from '../inbox/icons.tsx';
import { MAX_RECIPIENTS, parseAddresses } from './addresses.ts';

/**
 * Editable address chips (CC, BCC, forward recipients): type and press Enter, comma or Tab, or paste
 * several at once. Backspace in the empty field removes the last chip. What is not an address stays in
 * the field, marked invalid, with the reason below.
 */
export const AddressField = ({ label, value, onChange, autoFocus, required, testId }: {
  label: string; value: string[]; onChange: (next: string[]) => void; autoFocus?: boolean; required?: boolean; testId?: string;
}) => {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const add = (text: string) => {
    const { valid, invalid } = parseAddresses(text);
    const merged = [...value, ...valid.filter((a) => !value.includes(a))];
    if (merged.length > MAX_RECIPIENTS) {
      setError(t('recipients.too_many', { n: MAX_RECIPIENTS }));
      onChange(merged.slice(0, MAX_RECIPIENTS));
    } else {
      onChange(merged);
      setError(invalid.length ? t('recipients.invalid', { value: invalid.join(', ') }) : null);
    }
    setDraft(invalid.join(', '));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if ((e.key === 'Enter' || e.key === ',' || e.key === ';' || (e.key === 'Tab' && !e.shiftKey)) && draft.trim()) {
      e.preventDefault();
      add(draft);
    } else if (e.key === 'Enter') {
      e.preventDefault(); // never submit a surrounding form from an address field
    } else if (e.key === 'Backspace' && !draft && value.length) {
      onChange(value.slice(0, -1));
    }
  };
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text');
    if (!/[,;\s<]/.test(text.trim())) return; // one plain address: let it be typed into the field
    e.preventDefault();
    add(`${draft} ${text}`);
  };

  return (
    <div className="recipients" data-testid={testId}>
      <label className="recipients-label" htmlFor={id}>{label}</label>
      <div className={`recipients-box ${error ? 'invalid' : ''}`} onMouseDown={(e) => { if (e.target === e.currentTarget) { e.preventDefault(); input.current?.focus(); } }}>
        {value.map((a) => (
          <span key={a} className="addr-chip">
            {a}
            <button type="button" className="chip-x" aria-label={t('recipients.remove', { address: a })} onClick={() => onChange(value.filter((x) => x !== a))}><Icon name="x" size={10} /></button>
          </span>
        ))}
        <input ref={input} id={id} type="text" inputMode="email" autoComplete="off" spellCheck={false} value={draft} autoFocus={autoFocus}
          aria-invalid={!!error} aria-required={required} aria-describedby={error ? `${id}-error` : undefined}
          placeholder={value.length ? '' : t('recipients.placeholder')}
          onChange={(e) => { setDraft(e.target.value); if (error) setError(null); }} onKeyDown={onKeyDown} onPaste={onPaste}
          onBlur={() => { if (draft.trim()) add(draft); }} />
      </div>
      {error && <div id={`${id}-error`} className="recipients-error" role="alert">{error}</div>}
    </div>
  );
};
