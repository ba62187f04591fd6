import { useEffect, useState, type FormEvent } from 'react';
import type { Language, TKbSettings } from '@careline/shared';
import { get, patch } from '../../lib/api.ts';
import { directory$, toast } from '../../lib/data.ts';
import { LANGS, useT } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';
import { fail } from './kb.ts';

/** Help-center settings (admins): the fallback language, the web-form inbox that brands it, its title per language. */
export const HelpCenterSettings = () => {
  const t = useT();
  const dir = useStore(directory$);
  const [settings, setSettings] = useState<TKbSettings | null>(null);
  useEffect(() => { void get<TKbSettings>('/knowledge/settings').then(setSettings).catch(fail(t)); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  if (!settings) return <p className="muted">{t('common.loading')}</p>;

  const forms = dir.inboxes.filter((i) => i.channel === 'webform');
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const title = Object.fromEntries(LANGS.map((l) => [l, settings.title[l]?.trim() ?? '']).filter(([, v]) => v));
    try {
      setSettings(await patch<TKbSettings>('/knowledge/settings', { defaultLanguage: settings.defaultLanguage, brandInboxId: settings.brandInboxId, title }));
      toast(t('kb.saved'));
    } catch (err) { fail(t)(err); }
  };
  return (
    <form className="card form-grid" onSubmit={save} aria-label={t('kb.hc.title')}>
      <p className="hint field-wide">{t('kb.hc.hint')}</p>
      <label className="field"><span>{t('kb.hc.default_language')}</span>
        <select value={settings.defaultLanguage} onChange={(e) => setSettings({ ...settings, defaultLanguage: e.target.value as Language })}>
          {LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
        </select></label>
      <label className="field"><span>{t('kb.hc.brand_inbox')}</span>
        <select value={settings.brandInboxId ?? ''} onChange={(e) => setSettings({ ...settings, brandInboxId: e.target.value || null })}>
          <option value="">{t('kb.hc.no_brand')}</option>
          {forms.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
        </select></label>
      {LANGS.map((l) => (
        <label key={l} className="field"><span>{t('kb.hc.title_in', { lang: t(`lang.${l}`) })}</span>
          <input lang={l} maxLength={500} value={settings.title[l] ?? ''} onChange={(e) => setSettings({ ...settings, title: { ...settings.title, [l]: e.target.value } })} /></label>
      ))}
      <div className="form-actions"><button className="btn btn-primary" type="submit">{t('admin.save')}</button></div>
    </form>
  );
};
