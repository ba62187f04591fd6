import { useState, type FormEvent } from 'react';
import type { Language, TKbCategory } from '@careline/shared';
import { del, patch, post } from '../../lib/api.ts';
import { me$, toast } from '../../lib/data.ts';
import { LANGS, lang$, useT } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';
import { SLUG_PATTERN, categoryTree, fail, localized, permissions, slugFrom } from './kb.ts';

// Categories and sections (a section is a category with a parent), with their names and descriptions in en, vi
// and pl. Supervisors and admins change them (the API refuses agents); everyone sees the structure.

type Form = { id?: string; parentId: string | null; slug: string; names: Partial<Record<Language, string>>; descriptions: Partial<Record<Language, string>> };

export const Categories = ({ categories, reload }: { categories: TKbCategory[]; reload: () => Promise<void> }) => {
  const t = useT();
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const can = permissions(me.role);
  const [form, setForm] = useState<Form | null>(null);
  const tree = categoryTree(categories);

  const siblingsOf = (c: { parentId: string | null }) => (c.parentId ? tree.find((x) => x.category.id === c.parentId)?.sections ?? [] : tree.map((x) => x.category));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    const names = Object.fromEntries(LANGS.map((l) => [l, form.names[l]?.trim() ?? '']).filter(([, v]) => v));
    const descriptions = Object.fromEntries(LANGS.map((l) => [l, form.descriptions[l]?.trim() ?? '']).filter(([, v]) => v));
    try {
      if (form.id) await patch(`/knowledge/categories/${form.id}`, { slug: form.slug, names, descriptions });
      else {
        const siblings = siblingsOf(form);
        const position = siblings.length ? Math.max(...siblings.map((s) => s.position)) + 10 : 0;
        await post('/knowledge/categories', { parentId: form.parentId, slug: form.slug || slugFrom(localized(names, 'en')), position, names, descriptions });
      }
      setForm(null);
      toast(t('kb.saved'));
      await reload();
    } catch (err) { fail(t)(err); }
  };

  /** Swaps a category with its neighbour; positions are rewritten 0, 10, 20… for the siblings, so equal positions also sort. */
  const move = async (c: TKbCategory, by: -1 | 1) => {
    const list = [...siblingsOf(c)];
    const i = list.findIndex((x) => x.id === c.id);
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j]!, list[i]!];
    try {
      for (const [k, x] of list.entries()) if (x.position !== k * 10) await patch(`/knowledge/categories/${x.id}`, { position: k * 10 });
      await reload();
    } catch (err) { fail(t)(err); }
  };

  const remove = async (c: TKbCategory) => {
    if (!window.confirm(t(c.parentId ? 'kb.cat.delete_section_confirm' : 'kb.cat.delete_confirm', { name: localized(c.names, lang) }))) return;
    try { await del(`/knowledge/categories/${c.id}`); await reload(); } catch (err) { fail(t)(err); }
  };

  const row = (c: TKbCategory, index: number, count: number) => (
    <tr key={c.id} className={c.parentId ? 'kb-section-row' : 'kb-category-row'} data-category={c.id}>
      <td className={c.parentId ? 'kb-indent' : ''}><strong>{localized(c.names, lang) || c.slug}</strong>
        {c.descriptions[lang] && <div className="muted kb-desc">{c.descriptions[lang]}</div>}</td>
      <td><code>{c.slug}</code></td>
      <td><span className="kb-langs">{LANGS.map((l) => {
        const label = `${t(`lang.${l}`)}: ${c.names[l]?.trim() ? c.names[l] : t('kb.status.missing')}`;
        return <span key={l} className={`kb-lang ${c.names[l]?.trim() ? 'kb-st-published' : 'kb-st-missing'}`} title={label} aria-label={label} role="img">{l}</span>;
      })}</span></td>
      {can.canManageCategories && (
        <td className="actions">
          <button className="btn btn-sm" aria-label={t('kb.cat.move_up', { name: localized(c.names, lang) })} title={t('kb.cat.move_up', { name: localized(c.names, lang) })} disabled={index === 0} onClick={() => void move(c, -1)}>↑</button>
          <button className="btn btn-sm" aria-label={t('kb.cat.move_down', { name: localized(c.names, lang) })} title={t('kb.cat.move_down', { name: localized(c.names, lang) })} disabled={index === count - 1} onClick={() => void move(c, 1)}>↓</button>
          {!c.parentId && <button className="btn btn-sm" onClick={() => setForm({ parentId: c.id, slug: '', names: {}, descriptions: {} })}>{t('kb.cat.add_section')}</button>}
          <button className="btn btn-sm" onClick={() => setForm({ id: c.id, parentId: c.parentId, slug: c.slug, names: { ...c.names }, descriptions: { ...c.descriptions } })}>{t('admin.edit')}</button>
          <button className="btn btn-sm btn-danger" onClick={() => void remove(c)}>{t('admin.delete')}</button>
        </td>
      )}
    </tr>
  );

  const parent = form?.parentId ? categories.find((c) => c.id === form.parentId) : null;
  return (
    <>
      <p className="hint">{t('kb.cat.hint')}</p>
      {can.canManageCategories && (form ? (
        <form className="card form-grid kb-cat-form" onSubmit={save} aria-label={form.id ? t('admin.edit') : parent ? t('kb.cat.new_section_in', { name: localized(parent.names, lang) }) : t('kb.cat.new')}>
          <h2 className="field-wide">{form.id ? t('admin.edit') : parent ? t('kb.cat.new_section_in', { name: localized(parent.names, lang) }) : t('kb.cat.new')}</h2>
          {LANGS.map((l) => (
            <label key={`n-${l}`} className="field"><span>{t('kb.cat.name_in', { lang: t(`lang.${l}`) })}</span>
              <input lang={l} maxLength={500} value={form.names[l] ?? ''} onChange={(e) => setForm({ ...form, names: { ...form.names, [l]: e.target.value } })} /></label>
          ))}
          <label className="field field-wide"><span>{t('kb.slug')}</span>
            <input value={form.slug} pattern={SLUG_PATTERN} maxLength={120} placeholder={slugFrom(form.names.en ?? LANGS.map((l) => form.names[l]).find(Boolean) ?? '')}
              onChange={(e) => setForm({ ...form, slug: e.target.value.toLowerCase() })} /></label>
          {LANGS.map((l) => (
            <label key={`d-${l}`} className="field"><span>{t('kb.cat.description_in', { lang: t(`lang.${l}`) })}</span>
              <input lang={l} maxLength={500} value={form.descriptions[l] ?? ''} onChange={(e) => setForm({ ...form, descriptions: { ...form.descriptions, [l]: e.target.value } })} /></label>
          ))}
          <div className="form-actions">
            <button className="btn btn-primary" type="submit" disabled={!LANGS.some((l) => form.names[l]?.trim())}>{t('admin.save')}</button>
            <button className="btn btn-ghost" type="button" onClick={() => setForm(null)}>{t('admin.cancel')}</button>
          </div>
        </form>
      ) : <button className="btn btn-primary" onClick={() => setForm({ parentId: null, slug: '', names: {}, descriptions: {} })}>{t('kb.cat.new')}</button>)}
      {tree.length === 0 ? <p className="muted">{t('kb.cat.empty')}</p> : (
        <table className="table kb-cat-table">
          <thead><tr><th>{t('admin.name')}</th><th>{t('kb.slug')}</th><th>{t('kb.translations')}</th>{can.canManageCategories && <th />}</tr></thead>
          <tbody>{tree.flatMap(({ category, sections }, i) => [row(category, i, tree.length), ...sections.map((s, k) => row(s, k, sections.length))])}</tbody>
        </table>
      )}
    </>
  );
};
