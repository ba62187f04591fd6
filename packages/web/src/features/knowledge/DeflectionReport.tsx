import { useEffect, useState } from 'react';
import type { Language, TDeflectionReport } from '@careline/shared';
import { get, qs } from '../../lib/api.ts';
import { me$ } from '../../lib/data.ts';
import { LANGS, lang$, useT, type T } from '../../lib/i18n.ts';
import { navigate } from '../../lib/router.ts';
import { useStore } from '../../lib/store.ts';
import { formatDate, formatShort } from '../../lib/time.ts';

// The deflection report (GET /knowledge/reports/deflection): per ISO week and per article and language — views,
// helpfulness votes, searches without results, and contacts the knowledge base prevented.

type Week = TDeflectionReport['weeks'][number];
const SERIES = [
  { key: 'contactsDeflected', label: 'kb.report.deflected', color: '#12805c' },
  { key: 'contactsSubmitted', label: 'kb.report.submitted', color: '#98a2b3' },
  { key: 'searchesWithoutResults', label: 'kb.report.no_results', color: '#dc6803' },
] as const;

/** Grouped bars per week (inline SVG: no chart library in the bundle). Weeks are UTC Mondays, shown as dates. */
const Chart = ({ weeks, t, lang }: { weeks: Week[]; t: T; lang: Language }) => {
  const W = 960; const H = 240; const left = 36; const bottom = 28; const top = 10;
  const max = Math.max(1, ...weeks.flatMap((w) => SERIES.map((s) => w[s.key])));
  const step = (W - left) / Math.max(1, weeks.length);
  const bar = Math.max(2, Math.min(14, (step - 6) / SERIES.length));
  const y = (v: number) => H - bottom - (v / max) * (H - bottom - top);
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  const summary = t('kb.report.chart_summary', { weeks: weeks.length, deflected: weeks.reduce((n, w) => n + w.contactsDeflected, 0), submitted: weeks.reduce((n, w) => n + w.contactsSubmitted, 0) });
  return (
    <figure className="kb-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => <g key={v}><line x1={left} x2={W} y1={y(v)} y2={y(v)} stroke="#e4e7ec" /><text x={left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#667085">{v}</text></g>)}
        {weeks.map((w, i) => {
          const x0 = left + i * step + (step - bar * SERIES.length) / 2;
          return (
            <g key={w.week}>
              {SERIES.map((s, k) => (
                <rect key={s.key} x={x0 + k * bar} y={y(w[s.key])} width={bar - 1} height={H - bottom - y(w[s.key])} fill={s.color}>
                  <title>{`${formatDate(`${w.week}T12:00:00Z`, lang, 'UTC')} · ${t(s.label)}: ${w[s.key]}`}</title>
                </rect>
              ))}
              {(weeks.length <= 14 || i % 2 === 0) && (
                <text x={left + i * step + step / 2} y={H - 8} textAnchor="middle" fontSize="10.5" fill="#667085">
                  {new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${w.week}T12:00:00Z`))}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="kb-legend">{SERIES.map((s) => <span key={s.key}><i style={{ background: s.color }} />{t(s.label)}</span>)}</figcaption>
    </figure>
  );
};

const today = () => new Date().toISOString().slice(0, 10);
const weeksAgo = (n: number) => new Date(Date.now() - n * 7 * 86_400_000).toISOString().slice(0, 10);

export const DeflectionReport = () => {
  const t = useT();
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const [range, setRange] = useState({ from: weeksAgo(12), to: today(), lang: '' as '' | Language });
  const [report, setReport] = useState<TDeflectionReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setReport(null); setError(null);
    get<TDeflectionReport>(`/knowledge/reports/deflection${qs(range)}`).then(setReport).catch((e: Error) => setError(e.message));
  }, [range]);

  const total = (k: keyof Omit<Week, 'week'>) => report?.weeks.reduce((n, w) => n + w[k], 0) ?? 0;
  const helpfulVotes = total('helpfulYes') + total('helpfulNo');
  const cards = [
    { label: t('kb.report.views'), value: total('views') },
    { label: t('kb.report.helpful'), value: helpfulVotes ? `${Math.round((100 * total('helpfulYes')) / helpfulVotes)}%` : '—', hint: t('kb.report.votes', { yes: total('helpfulYes'), no: total('helpfulNo') }) },
    { label: t('kb.report.searches'), value: total('searches'), hint: t('kb.report.without_results_n', { n: total('searchesWithoutResults') }) },
    { label: t('kb.report.deflected'), value: total('contactsDeflected'), hint: t('kb.report.of_sessions', { n: total('suggestionSessions') }) },
  ];

  return (
    <>
      <form className="filters kb-report-filters" onSubmit={(e) => e.preventDefault()}>
        <label className="field"><span>{t('kb.report.from')}</span><input type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} /></label>
        <label className="field"><span>{t('kb.report.to')}</span><input type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} /></label>
        <label className="field"><span>{t('kb.filter.language')}</span>
          <select value={range.lang} onChange={(e) => setRange({ ...range, lang: e.target.value as '' | Language })}>
            <option value="">{t('kb.filter.any_language')}</option>
            {LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
          </select></label>
      </form>
      {error ? <div className="inline-error" role="alert">{t('common.error', { detail: error })}</div> : !report ? <p className="muted">{t('common.loading')}</p> : (
        <>
          <div className="kb-cards">{cards.map((c) => (
            <div key={c.label} className="card kb-card"><div className="kb-card-label">{c.label}</div><div className="kb-card-value">{c.value}</div>{c.hint && <div className="muted kb-card-hint">{c.hint}</div>}</div>
          ))}</div>
          <h2>{t('kb.report.per_week')}</h2>
          <Chart weeks={report.weeks} t={t} lang={lang} />
          <table className="table kb-report-table">
            <caption className="sr-only">{t('kb.report.per_week')}</caption>
            <thead><tr>
              <th>{t('kb.report.week')}</th><th>{t('kb.report.views')}</th><th>{t('kb.report.yes')}</th><th>{t('kb.report.no')}</th><th>{t('kb.report.searches')}</th>
              <th>{t('kb.report.no_results')}</th><th>{t('kb.report.sessions')}</th><th>{t('kb.report.submitted')}</th><th>{t('kb.report.deflected')}</th>
            </tr></thead>
            <tbody>{[...report.weeks].reverse().map((w) => (
              <tr key={w.week}><td>{formatDate(`${w.week}T12:00:00Z`, lang, 'UTC')}</td><td>{w.views}</td><td>{w.helpfulYes}</td><td>{w.helpfulNo}</td><td>{w.searches}</td>
                <td>{w.searchesWithoutResults}</td><td>{w.suggestionSessions}</td><td>{w.contactsSubmitted}</td><td><strong>{w.contactsDeflected}</strong></td></tr>
            ))}</tbody>
          </table>

          <h2>{t('kb.report.per_article')}</h2>
          {report.articles.length === 0 ? <p className="muted">{t('kb.report.no_data')}</p> : (
            <table className="table kb-report-articles">
              <thead><tr><th>{t('kb.title')}</th><th>{t('profile.language')}</th><th>{t('kb.report.views')}</th><th>{t('kb.report.yes')}</th><th>{t('kb.report.no')}</th><th>{t('kb.report.suggested')}</th><th>{t('kb.report.deflected')}</th></tr></thead>
              <tbody>{report.articles.map((a) => (
                <tr key={`${a.articleId}-${a.language}`}>
                  <td><a href={`/knowledge/articles/${a.articleId}?lang=${a.language}`} onClick={(e) => { e.preventDefault(); navigate(`/knowledge/articles/${a.articleId}?lang=${a.language}`); }}>{a.title}</a></td>
                  <td>{t(`lang.${a.language}`)}</td><td>{a.views}</td><td>{a.helpfulYes}</td><td>{a.helpfulNo}</td><td>{a.suggested}</td><td><strong>{a.deflected}</strong></td>
                </tr>
              ))}</tbody>
            </table>
          )}

          <h2>{t('kb.report.gaps')}</h2>
          <p className="hint">{t('kb.report.gaps_hint')}</p>
          {report.topSearchesWithoutResults.length === 0 ? <p className="muted">{t('kb.report.no_data')}</p> : (
            <table className="table kb-report-gaps">
              <thead><tr><th>{t('kb.report.query')}</th><th>{t('profile.language')}</th><th>{t('kb.report.count')}</th><th>{t('kb.report.last')}</th></tr></thead>
              <tbody>{report.topSearchesWithoutResults.map((s) => (
                <tr key={`${s.query}-${s.language}`}><td>“{s.query}”</td><td>{s.language && (LANGS as string[]).includes(s.language) ? t(`lang.${s.language as Language}`) : '—'}</td><td>{s.count}</td>
                  <td>{formatShort(s.lastAt, lang, me.timeZone)}</td></tr>
              ))}</tbody>
            </table>
          )}

          {report.feedback.length > 0 && <>
            <h2>{t('kb.report.feedback')}</h2>
            <ul className="kb-feedback">{report.feedback.map((f, i) => (
              <li key={i}><span className={`chip ${f.isHelpful ? 'kb-st-published' : 'kb-st-archived'}`}>{f.isHelpful ? t('kb.report.yes') : t('kb.report.no')}</span>
                {f.comment ? ` “${f.comment}”` : ''} <span className="muted">· {t(`lang.${f.language}`)} · {formatShort(f.createdAt, lang, me.timeZone)}</span>
                {' '}<a href={`/knowledge/articles/${f.articleId}?lang=${f.language}`} onClick={(e) => { e.preventDefault(); navigate(`/knowledge/articles/${f.articleId}?lang=${f.language}`); }}>{t('kb.report.open_article')}</a></li>
            ))}</ul>
          </>}
        </>
      )}
    </>
  );
};
