import type { ConversationStatus } from '@careline/shared';
import { post } from '../../lib/api.ts';
import { counts$, directory$, initials, me$ } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import { connected$, disconnect } from '../../lib/realtime.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { ChannelIcon, Icon } from './icons.tsx';

const STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved', 'closed'];

const NavItem = ({ to, icon, label, count, unread, active }: { to: string; icon: React.ReactNode; label: string; count?: number; unread?: number; active: boolean }) => {
  const t = useT();
  return (
    <a href={to} className={`nav-item ${active ? 'active' : ''}`} aria-current={active ? 'page' : undefined}
      onClick={(e) => { if (e.metaKey || e.ctrlKey) return; e.preventDefault(); navigate(to); }}>
      {icon}<span className="nav-label">{label}</span>
      {unread ? <span className="badge badge-unread" title={t('nav.unread', { n: unread })} aria-label={t('nav.unread', { n: unread })}>{unread}</span> : null}
      {count !== undefined && <span className="nav-count">{count}</span>}
    </a>
  );
};

export const NavSidebar = () => {
  const t = useT();
  const me = useStore(me$)!;
  const dir = useStore(directory$);
  const counts = useStore(counts$);
  const online = useStore(connected$);
  const { path } = useLocation();
  const view = path.startsWith('/inbox/') ? path.split('/')[2] : null;
  const myTeams = me.role === 'agent' ? dir.teams.filter((x) => x.memberIds.includes(me.id)) : dir.teams;
  const isActive = (v: string) => view === v;
  const isManager = me.role !== 'agent';

  const signOut = async () => { await post('/auth/sign-out').catch(() => {}); disconnect(); me$.set(null); navigate('/sign-in'); };

  return (
    <nav className="nav" aria-label={t('nav.conversations')}>
      <div className="brand"><img src="/icon.svg" alt="" width={24} height={24} /><span>Careline</span>
        <span className={`live-dot ${online ? 'on' : ''}`} title={online ? 'Live' : t('common.offline')} aria-label={online ? 'Live' : t('common.offline')} role="img" />
      </div>
      <div className="nav-scroll">
        <div className="nav-section">{t('nav.conversations')}</div>
        <NavItem to="/inbox/mine" icon={<Icon name="user" />} label={t('nav.mine')} count={counts?.mine} unread={counts?.unread.mine} active={isActive('mine')} />
        <NavItem to="/inbox/unassigned" icon={<Icon name="inbox" />} label={t('nav.unassigned')} count={counts?.unassigned} unread={counts?.unread.unassigned} active={isActive('unassigned')} />
        <NavItem to="/inbox/all" icon={<Icon name="layers" />} label={t('nav.all')} count={counts?.all} unread={counts?.unread.all} active={isActive('all')} />
        {myTeams.length > 0 && <div className="nav-section">{t('nav.teams')}</div>}
        {myTeams.map((team) => <NavItem key={team.id} to={`/inbox/team-${team.id}`} icon={<Icon name="users" />} label={team.name} count={counts?.teams[team.id] ?? 0} active={isActive(`team-${team.id}`)} />)}
        {dir.inboxes.length > 0 && <div className="nav-section">{t('nav.inboxes')}</div>}
        {dir.inboxes.map((inbox) => <NavItem key={inbox.id} to={`/inbox/inbox-${inbox.id}`} icon={<ChannelIcon channel={inbox.channel} label={t(`channel.${inbox.channel}`)} />} label={inbox.name} count={counts?.inboxes[inbox.id] ?? 0} active={isActive(`inbox-${inbox.id}`)} />)}
        <div className="nav-section">{t('nav.status')}</div>
        {STATUSES.map((s) => <NavItem key={s} to={`/inbox/status-${s}`} icon={<span className={`dot dot-${s}`} aria-hidden />} label={t(`status.${s}`)} count={counts?.status[s]} active={isActive(`status-${s}`)} />)}
        <div className="nav-section">{t('kb.nav_section')}</div>
        <NavItem to="/knowledge" icon={<Icon name="note" />} label={t('kb.title_page')} active={path === '/knowledge' || path.startsWith('/knowledge/')} />
        {isManager && <>
          <div className="nav-section">{t('nav.admin')}</div>
          <NavItem to="/admin/agents" icon={<Icon name="shield" />} label={t('nav.admin')} active={path.startsWith('/admin/')} />
        </>}
      </div>
      <div className="nav-footer">
        <a href="/settings/profile" className={`me ${path === '/settings/profile' ? 'active' : ''}`} onClick={(e) => { e.preventDefault(); navigate('/settings/profile'); }}>
          <span className={`avatar avail-${me.availability}`} aria-hidden>{initials(me.name)}</span>
          <span className="me-name">{me.name}<small>{t(`profile.${me.availability}`)}</small></span>
          <Icon name="settings" label={t('nav.settings')} />
        </a>
        <button className="icon-btn" onClick={signOut} title={t('auth.sign_out')} aria-label={t('auth.sign_out')}><Icon name="logout" /></button>
      </div>
    </nav>
  );
};
