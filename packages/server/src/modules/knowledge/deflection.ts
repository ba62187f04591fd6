import { foldText, type KbSource, type Language, type TDeflectionReport } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { notFound } from '../../platform/errors/app-error.ts';

// What the knowledge base prevents: article views, helpfulness votes, searches (and those without
// results: the gaps to write), and suggestion sessions — a customer saw suggested articles and then
// either submitted anyway, said "this solved my problem", or left without contacting us (deflected).

/** A suggestion session with no contact within this time counts as deflected. */
export const DEFLECTION_WINDOW_MS = 60 * 60_000;
export type EventKind = 'view' | 'helpful_yes' | 'helpful_no' | 'suggestion_click';

export const recordSearch = (ctx: Ctx, s: { query: string; language: Language | null; source: KbSource; resultCount: number }) =>
  ctx.db.transaction(({ tx }) => tx.insertInto('kb_searches').values({
    id: newId(), query: s.query.slice(0, 500), query_folded: foldText(s.query).replace(/\s+/g, ' ').trim().slice(0, 500), language: s.language,
    source: s.source, result_count: s.resultCount, created_at: ctx.clock.iso(),
  }).execute());

export const recordEvent = (ctx: Ctx, e: { kind: EventKind; articleId: string; language: Language; source: KbSource; sessionId?: string | null; comment?: string | null }) =>
  ctx.db.transaction(async ({ tx }) => {
    if (!(await tx.selectFrom('kb_articles').select('id').where('id', '=', e.articleId).executeTakeFirst())) throw notFound('Article');
    await tx.insertInto('kb_events').values({
      id: newId(), kind: e.kind, article_id: e.articleId, language: e.language, source: e.source, session_id: e.sessionId ?? null,
      comment: e.comment?.trim().slice(0, 2000) || null, created_at: ctx.clock.iso(),
    }).execute();
  });

export const startDeflection = async (ctx: Ctx, s: { source: KbSource; language: Language; inboxId?: string | null; query: string; articleIds: string[] }) => {
  const id = newId();
  await ctx.db.transaction(({ tx }) => tx.insertInto('kb_deflections').values({
    id, source: s.source, language: s.language, inbox_id: s.inboxId ?? null, query: s.query.slice(0, 2000), article_ids: toJson(s.articleIds.slice(0, 20)),
    outcome: null, outcome_article_id: null, created_at: ctx.clock.iso(), outcome_at: null,
  }).execute());
  return id;
};

/** "submitted" always wins (a contact happened); "solved" only when nothing was submitted. Unknown ids are ignored. */
export const endDeflection = (ctx: Ctx, id: string, outcome: 'submitted' | 'solved', articleId: string | null = null) =>
  ctx.db.transaction(async ({ tx }) => {
    let q = tx.updateTable('kb_deflections').set({ outcome, outcome_article_id: articleId, outcome_at: ctx.clock.iso() }).where('id', '=', id);
    if (outcome === 'solved') q = q.where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '=', 'solved')]));
    await q.execute();
  });

export const findDeflection = (ctx: Ctx, id: string) => ctx.db.kysely.selectFrom('kb_deflections').selectAll().where('id', '=', id).executeTakeFirst();

const DAY = 86400_000;
export const weekOf = (iso: string) => {
  const d = new Date(iso.slice(0, 10) + 'T00:00:00Z');
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY).toISOString().slice(0, 10);
};

export const deflectionReport = async (ctx: Ctx, q: { from?: string; to?: string; lang?: Language }): Promise<TDeflectionReport> => {
  const now = ctx.clock.now();
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 12 * 7 * DAY).toISOString().slice(0, 10);
  const start = `${from}T00:00:00.000Z`; const end = new Date(Date.parse(to) + DAY).toISOString();
  const db = ctx.db.kysely;
  let events = db.selectFrom('kb_events').select(['kind', 'article_id', 'language', 'created_at', 'comment']).where('created_at', '>=', start).where('created_at', '<', end);
  let searches = db.selectFrom('kb_searches').select(['query', 'query_folded', 'language', 'result_count', 'created_at']).where('created_at', '>=', start).where('created_at', '<', end);
  let sessions = db.selectFrom('kb_deflections').select(['language', 'article_ids', 'outcome', 'outcome_article_id', 'created_at']).where('created_at', '>=', start).where('created_at', '<', end);
  if (q.lang) { events = events.where('language', '=', q.lang); searches = searches.where('language', '=', q.lang); sessions = sessions.where('language', '=', q.lang); }
  const ev = await events.execute(); const se = await searches.execute(); const ss = await sessions.execute();

  const weeks = new Map<string, TDeflectionReport['weeks'][number]>();
  for (let d = Date.parse(weekOf(start)); d < Date.parse(end); d += 7 * DAY) {
    const week = new Date(d).toISOString().slice(0, 10);
    weeks.set(week, { week, views: 0, helpfulYes: 0, helpfulNo: 0, searches: 0, searchesWithoutResults: 0, suggestionSessions: 0, contactsSubmitted: 0, contactsDeflected: 0, solvedClicks: 0 });
  }
  const wk = (iso: string) => weeks.get(weekOf(iso))!;
  type Row = TDeflectionReport['articles'][number];
  const perArticle = new Map<string, Omit<Row, 'title'>>();
  const art = (articleId: string, language: string) => {
    const key = `${articleId}:${language}`;
    if (!perArticle.has(key)) perArticle.set(key, { articleId, language: language as Language, views: 0, helpfulYes: 0, helpfulNo: 0, suggested: 0, deflected: 0 });
    return perArticle.get(key)!;
  };
  const feedback: TDeflectionReport['feedback'] = [];
  for (const e of ev) {
    const w = wk(e.created_at);
    if (e.kind === 'view') { w.views++; if (e.article_id) art(e.article_id, e.language).views++; }
    if (e.kind === 'helpful_yes' || e.kind === 'helpful_no') {
      const yes = e.kind === 'helpful_yes';
      if (yes) w.helpfulYes++; else w.helpfulNo++;
      if (e.article_id) {
        const a = art(e.article_id, e.language); if (yes) a.helpfulYes++; else a.helpfulNo++;
        if (e.comment) feedback.push({ articleId: e.article_id, language: e.language as Language, isHelpful: yes, comment: e.comment, createdAt: e.created_at });
      }
    }
  }
  const gaps = new Map<string, { query: string; language: string | null; count: number; lastAt: string }>();
  for (const s of se) {
    const w = wk(s.created_at); w.searches++;
    if (Number(s.result_count) === 0) {
      w.searchesWithoutResults++;
      const key = `${s.language}:${s.query_folded}`;
      const g = gaps.get(key) ?? { query: s.query, language: s.language, count: 0, lastAt: s.created_at };
      g.count++; if (s.created_at >= g.lastAt) { g.lastAt = s.created_at; g.query = s.query; }
      gaps.set(key, g);
    }
  }
  const cutoff = new Date(now.getTime() - DEFLECTION_WINDOW_MS).toISOString();
  for (const s of ss) {
    const w = wk(s.created_at); w.suggestionSessions++;
    const shown = fromJson<string[]>(s.article_ids, []);
    for (const id of shown) art(id, s.language).suggested++;
    const deflected = s.outcome === 'solved' || (s.outcome === null && s.created_at < cutoff);
    if (s.outcome === 'submitted') w.contactsSubmitted++;
    if (s.outcome === 'solved') w.solvedClicks++;
    if (deflected) {
      w.contactsDeflected++;
      for (const id of s.outcome_article_id ? [s.outcome_article_id] : shown) art(id, s.language).deflected++;
    }
  }
  const keys = [...perArticle.values()];
  const titles = keys.length ? await db.selectFrom('kb_translations').select(['article_id', 'language', 'title']).where('article_id', 'in', [...new Set(keys.map((k) => k.articleId))]).execute() : [];
  const articles = keys.flatMap((k) => {
    const t = titles.find((x) => x.article_id === k.articleId && x.language === k.language) ?? titles.find((x) => x.article_id === k.articleId);
    return t ? [{ ...k, title: t.title }] : [];
  }).sort((a, b) => b.deflected - a.deflected || b.views - a.views);
  return {
    from, to, weeks: [...weeks.values()], articles,
    topSearchesWithoutResults: [...gaps.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)).slice(0, 50),
    feedback: feedback.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 100),
  };
};
