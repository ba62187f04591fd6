import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Availability, Language, TNotificationPreferences, TUser } from '@careline/shared';
import { get, patch } from '../../lib/api.ts';
import { me$, toast } from '../../lib/data.ts';
import { LANGS, setLanguage, useT } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';
import { canInstall, enablePush, install, pushSupported, showTestNotification } from './push.ts';

type Prefs = TNotificationPreferences & { devices: number };

export const ProfilePage = () => {
  const t = useT();
  const me = useStore(me$)!;
  const [name, setName] = useState(me.name);
  const [language, setLang] = useState<Language>(me.language);
  const [timeZone, setTz] = useState(me.timeZone);
  const [availability, setAvailability] = useState<Availability>(me.availability);
  const [currentPassword, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [permission, setPermission] = useState(() => (pushSupported() ? Notification.permission : 'unsupported'));
  const zones = useMemo(() => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone'), []);

  useEffect(() => { void get<Prefs>('/notifications/preferences').then(setPrefs).catch(() => {}); }, []);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const body: Record<string, string> = { name, language, timeZone, availability };
      if (password) { body.password = password; body.currentPassword = currentPassword; }
      const user = await patch<TUser>('/profile', body);
      me$.set(user);
      setLanguage(user.language);
      setPassword(''); setCurrent('');
      toast(t('profile.saved'));
    } catch (err) { toast(t('common.error', { detail: (err as Error).message }), 'error'); }
  };

  const togglePref = async (key: keyof TNotificationPreferences, value: boolean) => {
    const next = await patch<TNotificationPreferences>('/notifications/preferences', { [key]: value });
    setPrefs((p) => (p ? { ...p, ...next } : p));
  };

  const enable = async () => {
    try {
      setPermission(await enablePush());
      setPrefs(await get<Prefs>('/notifications/preferences'));
    } catch (err) {
      setPermission(Notification.permission);
      toast(t('common.error', { detail: (err as Error).message }), 'error');
    }
  };

  return (
    <div className="page">
      <h1>{t('profile.title')}</h1>
      <form className="card form-grid" onSubmit={save}>
        <label className="field"><span>{t('profile.name')}</span><input value={name} onChange={(e) => setName(e.target.value)} required /></label>
        <label className="field"><span>{t('profile.language')}</span>
          <select value={language} onChange={(e) => setLang(e.target.value as Language)} name="language">
            {LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('profile.time_zone')}</span>
          <select value={timeZone} onChange={(e) => setTz(e.target.value)} name="timeZone">
            {(zones.includes(timeZone) ? zones : [timeZone, ...zones]).map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('profile.availability')}</span>
          <select value={availability} onChange={(e) => setAvailability(e.target.value as Availability)}>
            {(['online', 'busy', 'offline'] as const).map((a) => <option key={a} value={a}>{t(`profile.${a}`)}</option>)}
          </select>
        </label>
        <fieldset className="field-set">
          <legend>{t('profile.password')}</legend>
          <label className="field"><span>{t('profile.current_password')}</span><input type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} /></label>
          <label className="field"><span>{t('profile.new_password')}</span><input type="password" autoComplete="new-password" minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        </fieldset>
        <div><button className="btn btn-primary" type="submit">{t('profile.save')}</button></div>
      </form>

      <h2>{t('profile.notifications')}</h2>
      <div className="card">
        {prefs && (
          <div className="toggles">
            {([['assigned', 'profile.notify_assigned'], ['mention', 'profile.notify_mention'], ['customerReply', 'profile.notify_reply']] as const).map(([key, label]) => (
              <label key={key} className="toggle"><input type="checkbox" checked={prefs[key]} onChange={(e) => void togglePref(key, e.target.checked)} /><span>{t(label)}</span></label>
            ))}
          </div>
        )}
        <div className="push-row">
          {permission === 'unsupported' && <p className="muted">{t('profile.push_unsupported')}</p>}
          {permission === 'denied' && <p className="form-error">{t('profile.push_denied')}</p>}
          {permission !== 'unsupported' && permission !== 'denied' && (
            <button className="btn" onClick={() => void enable()} data-testid="enable-push">{permission === 'granted' && prefs?.devices ? t('profile.push_enabled') : t('profile.push_enable')}</button>
          )}
          {permission === 'granted' && <button className="btn btn-ghost" data-testid="test-push" onClick={() => void showTestNotification('Careline', t('profile.push_test_body'))}>{t('profile.push_test')}</button>}
          {prefs && <span className="muted">{t('profile.devices', { n: prefs.devices })}</span>}
          {canInstall() && <button className="btn btn-ghost" onClick={() => void install()}>{t('profile.install')}</button>}
        </div>
      </div>
    </div>
  );
};
