import type { ConversationStatus, Priority, TConversation } from '@careline/shared';
import { del, get, patch, post, qs } from '../../lib/api.ts';
import { customStatuses$, directory$, initials, loadCustomStatuses, me$, refreshCounts, toast } from '../../lib/data.ts';
import type { T } from '../../lib/i18n.ts';
import { isoToLocalInput, localInputToIso, presetInZone } from '../../lib/time.ts';
import { Icon } from '../inbox/icons.tsx';
import type { PickerOption } from '../inbox/Picker.tsx';

export type PickerKind = 'assign' | 'status' | 'priority' | 'tags' | 'snooze' | 'merge';
type Updated = (c: TConversation) => void;

const each = async (ids: string[], fn: (id: string) => Promise<TConversation>, onUpdated: Updated, t: T) => {
  try {
    const results = await Promise.all(ids.map(fn));
    results.forEach(onUpdated);
    if (ids.length > 1) toast(t('bulk.done', { n: ids.length }));
    refreshCounts();
  } catch (e) {
    toast(t('common.error', { detail: (e as Error).message }), 'error');
  }
};

export const setStatus = (ids: string[], status: ConversationStatus, onUpdated: Updated, t: T) =>
  each(ids, (id) => patch<TConversation>(`/conversations/${id}`, { status }), onUpdated, t);
/** A custom status: the server sets its base status too (SLAs and reports follow the base state). */
export const setCustomStatus = (ids: string[], customStatusId: string, onUpdated: Updated, t: T) =>
  each(ids, (id) => patch<TConversation>(`/conversations/${id}`, { customStatusId }), onUpdated, t);
export const setPriority = (ids: string[], priority: Priority, onUpdated: Updated, t: T) =>
  each(ids, (id) => patch<TConversation>(`/conversations/${id}`, { priority }), onUpdated, t);
export const assign = (ids: string[], body: { assigneeId?: string | null; teamId?: string | null }, onUpdated: Updated, t: T) =>
  each(ids, (id) => post<TConversation>(`/conversations/${id}/assign`, body), onUpdated, t);
export const addTag = (ids: string[], tag: string, onUpdated: Updated, t: T) =>
  each(ids, (id) => post<TConversation>(`/conversations/${id}/tags`, { tags: [tag] }), onUpdated, t);
export const removeTag = (ids: string[], tag: string, onUpdated: Updated, t: T) =>
  each(ids, (id) => del<TConversation>(`/conversations/${id}/tags`, { tags: [tag] }), onUpdated, t);
export const snooze = (ids: string[], until: string, onUpdated: Updated, t: T) =>
  each(ids, (id) => patch<TConversation>(`/conversations/${id}`, { status: 'snoozed', snoozedUntil: until }), onUpdated, t);

/** The options of each keyboard picker, for one conversation or a bulk selection. */
export const pickerOptions = async (kind: PickerKind, targets: TConversation[], knownTags: string[], onUpdated: Updated, t: T, tz: string): Promise<{ title: string; options: PickerOption[]; custom?: (q: string) => PickerOption | null; footer?: (close: () => void) => React.ReactNode }> => {
  const ids = targets.map((c) => c.id);
  const one = targets.length === 1 ? targets[0]! : null;
  const me = me$.get()!;
  const dir = directory$.get();
  if (kind === 'assign') {
    const agents = dir.users.filter((u) => !u.isDisabled && (me.role !== 'agent' || targets.every((c) => u.role !== 'agent' || u.inboxIds.includes(c.inboxId))));
    const options: PickerOption[] = [
      { id: 'me', label: t('pick.me', { name: me.name }), group: t('pick.agents'), isCurrent: one?.assigneeId === me.id, icon: <span className="avatar avatar-xs">{initials(me.name)}</span>, run: () => assign(ids, { assigneeId: me.id }, onUpdated, t) },
      ...agents.filter((u) => u.id !== me.id).map((u) => ({ id: u.id, label: u.name, hint: u.email, group: t('pick.agents'), isCurrent: one?.assigneeId === u.id, icon: <span className={`avatar avatar-xs avail-${u.availability}`}>{initials(u.name)}</span>, run: () => assign(ids, { assigneeId: u.id }, onUpdated, t) })),
      ...dir.teams.map((team) => ({ id: `team-${team.id}`, label: team.name, group: t('pick.teams'), isCurrent: one?.teamId === team.id, icon: <Icon name="users" />, run: () => assign(ids, { teamId: team.id }, onUpdated, t) })),
      { id: 'none', label: t('pick.unassign'), icon: <Icon name="x" />, run: () => assign(ids, { assigneeId: null }, onUpdated, t) },
    ];
    return { title: t('pick.assign'), options };
  }
  if (kind === 'status') {
    const statuses: ConversationStatus[] = ['open', 'pending', 'resolved', 'closed'];
    await loadCustomStatuses(); // an admin may have added one since sign-in
    const custom = customStatuses$.get();
    const group = custom.length ? t('pick.statuses') : undefined;
    return {
      title: t('pick.status'),
      options: [
        ...statuses.map((s) => ({ id: s, label: t(`status.${s}`), group, isCurrent: one?.status === s && !one.customStatusId, icon: <span className={`dot dot-${s}`} />, run: () => setStatus(ids, s, onUpdated, t) })),
        ...custom.map((cs) => ({ id: `custom-${cs.id}`, label: cs.name, hint: t(`status.${cs.baseStatus}`), group: t('pick.custom_statuses'), isCurrent: one?.customStatusId === cs.id,
          icon: <span className={`dot dot-${cs.baseStatus}`} />, run: () => setCustomStatus(ids, cs.id, onUpdated, t) })),
      ],
    };
  }
  if (kind === 'priority') {
    const ps: Priority[] = ['urgent', 'high', 'normal', 'low'];
    return { title: t('pick.priority'), options: ps.map((p) => ({ id: p, label: t(`priority.${p}`), isCurrent: one?.priority === p, icon: <span className={`prio-dot prio-${p}`} />, run: () => setPriority(ids, p, onUpdated, t) })) };
  }
  if (kind === 'tags') {
    const current = new Set(targets.flatMap((c) => c.tags));
    const options: PickerOption[] = [
      ...[...current].map((tag) => ({ id: `rm-${tag}`, label: t('pick.remove_tag', { tag }), icon: <Icon name="x" />, run: () => removeTag(ids, tag, onUpdated, t) })),
      ...knownTags.filter((tag) => !current.has(tag)).map((tag) => ({ id: `add-${tag}`, label: tag, icon: <Icon name="tag" />, run: () => addTag(ids, tag, onUpdated, t) })),
    ];
    const custom = (q: string) => {
      const tag = q.toLowerCase().replace(/[\s,]+/g, '-').slice(0, 50);
      return tag && !current.has(tag) ? { id: `new-${tag}`, label: t('pick.new_tag', { tag }), icon: <Icon name="tag" />, run: () => addTag(ids, tag, onUpdated, t) } : null;
    };
    return { title: t('pick.tags'), options, custom };
  }
  if (kind === 'snooze') {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const options: PickerOption[] = [
      { id: '1h', label: t('pick.snooze_1h'), run: () => snooze(ids, at(3600_000), onUpdated, t) },
      { id: '4h', label: t('pick.snooze_4h'), run: () => snooze(ids, at(4 * 3600_000), onUpdated, t) },
      { id: 'tomorrow', label: t('pick.snooze_tomorrow'), run: () => snooze(ids, presetInZone(tz, 'tomorrow'), onUpdated, t) },
      { id: 'week', label: t('pick.snooze_next_week'), run: () => snooze(ids, presetInZone(tz, 'next_week'), onUpdated, t) },
    ].map((o) => ({ ...o, icon: <Icon name="snooze" /> }));
    const footer = (close: () => void) => (
      <form className="picker-footer" onSubmit={(e) => {
        e.preventDefault();
        const v = new FormData(e.currentTarget).get('until') as string;
        if (v) { close(); void snooze(ids, localInputToIso(v, tz), onUpdated, t); }
      }}>
        <label>{t('pick.snooze_custom')} <input type="datetime-local" name="until" defaultValue={isoToLocalInput(presetInZone(tz, 'tomorrow'), tz)} /></label>
        <button className="btn btn-primary btn-sm" type="submit">{t('conv.snooze')}</button>
      </form>
    );
    return { title: t('pick.snooze'), options, footer };
  }
  // merge: another conversation of the same customer moves into this one
  if (!one) return { title: t('pick.merge'), options: [] };
  const page = await get<{ items: TConversation[] }>(`/conversations${qs({ contactId: one.contactId, limit: 50 })}`);
  const others = page.items.filter((c) => c.id !== one.id && !c.mergedIntoId);
  return {
    title: t('pick.merge'),
    options: others.map((c) => ({ id: c.id, label: `#${c.number} ${c.subject || c.lastMessagePreview}`, hint: t(`status.${c.status}`), group: t('pick.merge_hint'), icon: <Icon name="merge" />,
      run: async () => {
        try { onUpdated(await post<TConversation>(`/conversations/${one.id}/merge`, { sourceId: c.id })); refreshCounts(); } catch (e) { toast(t('common.error', { detail: (e as Error).message }), 'error'); }
      } })),
  };
};
