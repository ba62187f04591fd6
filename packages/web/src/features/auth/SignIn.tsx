import { useState, type FormEvent } from 'react';
import type { TUser } from '@careline/shared';
import { post } from '../../lib/api.ts';
import { LANGS, lang$, setLanguage, useT } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { startSession } from '../../lib/session.ts';

export const SignIn = () => {
  const t = useT();
  const lang = useStore(lang$);
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const user = await post<TUser>('/auth/sign-in', { email, password });
      await startSession(user);
      const next = new URLSearchParams(search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox/mine', { replace: true });
    } catch {
      setError(t('auth.failed'));
    } finally { setBusy(false); }
  };

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand brand-lg"><img src="/icon.svg" alt="" width={36} height={36} /><span>Careline</span></div>
        <h1 id="signin-title">{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        <label className="field"><span>{t('auth.email')}</span>
          <input type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field"><span>{t('auth.password')}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p role="alert" className="form-error">{error}</p>}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? t('auth.signing_in') : t('auth.submit')}</button>
        <div className="signin-langs" role="group" aria-label="Language">
          {LANGS.map((l) => <button type="button" key={l} className={`link ${l === lang ? 'active' : ''}`} aria-pressed={l === lang} onClick={() => setLanguage(l)}>{t(`lang.${l}`)}</button>)}
        </div>
      </form>
    </div>
  );
};
