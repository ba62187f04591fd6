import { lazy, Suspense, useEffect } from 'react';
import type { TUser } from '@careline/shared';
import { get, setUnauthenticatedHandler } from './lib/api.ts';
import { me$, toast$ } from './lib/data.ts';
import { useT } from './lib/i18n.ts';
import { disconnect } from './lib/realtime.ts';
import { startSession } from './lib/session.ts';
import { match, navigate, useLocation } from './lib/router.ts';
import { useStore } from './lib/store.ts';
import { SignIn } from './features/auth/SignIn.tsx';
import { NavSidebar } from './features/inbox/NavSidebar.tsx';
import { InboxScreen } from './features/inbox/InboxScreen.tsx';

// Code-split: agents rarely open these; the first screen stays small.
const ProfilePage = lazy(() => import('./features/settings/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })));
const AdminPage = lazy(() => import('./features/admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const KnowledgePage = lazy(() => import('./features/knowledge/KnowledgePage.tsx').then((m) => ({ default: m.KnowledgePage })));

export const App = () => {
  const me = useStore(me$);
  const { path } = useLocation();
  const t = useT();
  const toast = useStore(toast$);

  useEffect(() => {
    setUnauthenticatedHandler(() => { disconnect(); me$.set(null); });
    get<TUser>('/auth/session').then(startSession).catch(() => me$.set(null));
  }, []);

  useEffect(() => {
    if (me === undefined) return;
    if (me === null && path !== '/sign-in') navigate(`/sign-in${path.length > 1 ? `?next=${encodeURIComponent(path)}` : ''}`, { replace: true });
    if (me && (path === '/' || path === '/sign-in')) navigate('/inbox/mine', { replace: true });
    const legacy = match('/conversations/:id', path);
    if (me && legacy) navigate(`/inbox/all/c/${legacy.id}`, { replace: true });
  }, [me, path]);

  if (me === undefined) return <div className="boot" aria-busy="true">{t('common.loading')}</div>;
  if (me === null) return <SignIn />;

  let screen = null;
  const inbox = match('/inbox/:view', path) ?? match('/inbox/:view/c/:id', path);
  if (inbox) screen = <InboxScreen view={inbox.view!} conversationId={inbox.id ?? null} />;
  else if (path === '/settings/profile') screen = <ProfilePage />;
  else if (path.startsWith('/admin/')) screen = <AdminPage section={path.split('/')[2] ?? 'agents'} />;
  else if (path === '/knowledge' || path.startsWith('/knowledge/')) screen = <KnowledgePage path={path} />;

  return (
    <div className="app">
      <NavSidebar />
      <main className="main" id="main">
        <Suspense fallback={<div className="page-loading">{t('common.loading')}</div>}>{screen}</Suspense>
      </main>
      {toast && <div role="status" className={`toast toast-${toast.tone}`}>{toast.text}</div>}
    </div>
  );
};
