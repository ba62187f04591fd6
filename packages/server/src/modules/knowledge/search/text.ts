import { stemmer } from 'stemmer';
import { foldText, type Language } from '@careline/shared';

// Text analysis shared by both engines: the index and the queries hold the same folded, stemmed
// terms, so SQLite FTS5 and PostgreSQL tsvector only match tokens and rank; they never see diacritics.

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Folded words of a text (lower case, no diacritics, đ→d, ł→l). */
export const words = (text: string) => (foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length <= 60);

// Polish inflection: a light stemmer removing case and number endings (folded spellings), longest
// first, keeping at least 3 letters. zwroty/zwrotu/zwrotów → zwrot, gwarancja/gwarancji → gwarancj.
const PL_SUFFIXES = [
  'owania', 'owanie', 'aniem', 'eniem', 'ach', 'ami', 'iem', 'ego', 'emu', 'ich', 'ych', 'imi', 'ymi', 'owi', 'ow', 'om', 'ie', 'ej', 'a', 'e', 'i', 'o', 'u', 'y',
];
const stemPl = (w: string) => {
  for (const s of PL_SUFFIXES) if (w.endsWith(s) && w.length - s.length >= 3) return w.slice(0, -s.length);
  return w;
};

/** The stem of one folded word in a language. Vietnamese is isolating: its syllables are not stemmed. */
export const stem = (word: string, lang: Language | null): string => {
  if (/\d/.test(word) || word.length < 3) return word;
  if (lang === 'en') return stemmer(word);
  if (lang === 'pl') return stemPl(word);
  return word;
};

const STOP: Record<Language, Set<string>> = {
  en: new Set('a an and are as at be but by can do does for from have how i if in into is it its me my of on or our so that the their them there this to was we what when where which who why will with you your'.split(' ')),
  vi: new Set('toi ban la va cua co khong thi ma nay do cho voi nhu nhung cac mot duoc de o tai roi sao gi nao em anh chi minh a nhe vay vi bi muon rat cung da se dang khi neu hay hoac tu ve lai vao len'.split(' ')),
  pl: new Set('a aby albo ale bo by czy dla do i jak jaki jest juz mam mi mnie moj na nie o od po przez sa sie sobie ta tak te to tu w we z za ze co'.split(' ')),
};
const isStop = (w: string, langs: Language[]) => langs.some((l) => STOP[l].has(w));

/** The index entry of a translation; publicLanguage is set when it is published and public (what customers may find). */
export type IndexDoc = { title: string; tags: string; body: string; meta: string; publicLanguage: string | null };

/** The filter tokens of a document: its language, status and visibility (matched, never ranked). */
export const metaTokens = (t: { language: string; status: string; isInternal: boolean }) =>
  `zzl${t.language} zzs${t.status} zzv${t.isInternal ? 'internal' : 'public'}`;

export const termsOf = (text: string, lang: Language | null) => words(text).map((w) => stem(w, lang));

/** The four index columns of one translation. */
export const buildIndexDoc = (t: { title: string; tags: string[]; bodyText: string; language: Language; status: string; isInternal: boolean }): IndexDoc => ({
  title: termsOf(t.title, t.language).join(' '),
  tags: termsOf(t.tags.join(' '), t.language).join(' '),
  body: termsOf(t.bodyText, t.language).join(' '),
  meta: metaTokens(t),
  publicLanguage: t.status === 'published' && !t.isInternal ? t.language : null,
});

/** One query word: the alternatives it may match (its stems in the searched languages), each a prefix when long enough. */
export type QueryTerm = { word: string; alternatives: { term: string; prefix: boolean }[] };

/**
 * Query words → terms. Stop words are dropped unless the query has nothing else. A term of 3+
 * letters matches as a prefix (inflection, typing in progress); shorter ones must match exactly.
 */
export const parseQuery = (q: string, langs: Language[]): QueryTerm[] => {
  const all = [...new Set(words(q))].slice(0, 32);
  const kept = all.filter((w) => !isStop(w, langs));
  return (kept.length ? kept : all).map((word) => {
    const stems = new Set([word, ...langs.map((l) => stem(word, l))]);
    // A shorter stem covers the longer forms as a prefix, so keep only the minimal ones.
    const minimal = [...stems].filter((s) => ![...stems].some((o) => o !== s && o.length >= 3 && s.startsWith(o)));
    return { word, alternatives: minimal.map((term) => ({ term, prefix: term.length >= 3 })) };
  });
};

/** pg_trgm-style trigrams of a word ("  w" padding at the start, " " at the end). */
export const trigrams = (word: string) => {
  const padded = `  ${word} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  return set;
};
export const trigramSimilarity = (a: string, b: string) => {
  const x = trigrams(a); const y = trigrams(b);
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
};

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * A highlighted snippet (HTML: escaped text, matches in <mark>) around the densest cluster of matches
 * in the original text, so Vietnamese and Polish keep their diacritics in what the reader sees.
 */
export const highlight = (text: string, terms: QueryTerm[], lang: Language | null, maxChars = 220) => {
  const matchers = terms.flatMap((t) => t.alternatives);
  // Words repeat: decide each distinct (folded) word once.
  const seen = new Map<string, boolean>();
  const isMatch = (folded: string) => {
    let yes = seen.get(folded);
    if (yes !== undefined) return yes;
    const stemmed = stem(folded, lang);
    yes = matchers.some((m) => (m.prefix ? folded.startsWith(m.term) || stemmed.startsWith(m.term) : folded === m.term || stemmed === m.term));
    seen.set(folded, yes);
    return yes;
  };
  // Fold the whole text at once; when that keeps its length (precomposed letters, the usual case),
  // positions in the folded text are positions in the original. Otherwise fold word by word.
  // Only words that begin like a term can match (stemming changes at most a term's last letter), so the
  // folded text is scanned for those words alone.
  const folded = foldText(text);
  const aligned = folded.length === text.length;
  const hits: { start: number; end: number }[] = [];
  const starts = [...new Set(matchers.map((m) => m.term.slice(0, Math.max(1, m.term.length - 1))))];
  if (aligned && starts.length) {
    const candidates = new RegExp(`(?<![\\p{L}\\p{N}])(?:${starts.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})[\\p{L}\\p{N}]*`, 'gu');
    for (const m of folded.matchAll(candidates)) if (isMatch(m[0])) hits.push({ start: m.index, end: m.index + m[0].length });
  } else {
    for (const m of text.matchAll(WORD)) if (isMatch(foldText(m[0]))) hits.push({ start: m.index, end: m.index + m[0].length });
  }

  let from = 0;
  if (hits.length) {
    // Start the window a little before the hit that has the most other hits within reach.
    let best = 0; let bestCount = -1;
    for (let i = 0; i < hits.length; i++) {
      let count = 0;
      for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= maxChars - 40; j++) count++;
      if (count > bestCount) { best = i; bestCount = count; }
    }
    from = Math.max(0, hits[best]!.start - 40);
    if (from > 0) { const space = text.lastIndexOf(' ', from); from = space > from - 20 && space >= 0 ? space + 1 : from; }
  }
  let to = Math.min(text.length, from + maxChars);
  if (to < text.length) { const space = text.lastIndexOf(' ', to); if (space > from + maxChars / 2) to = space; }
  let out = from > 0 ? '… ' : '';
  let pos = from;
  for (const h of hits) {
    if (h.start < from || h.end > to) continue;
    out += escapeHtml(text.slice(pos, h.start)) + '<mark>' + escapeHtml(text.slice(h.start, h.end)) + '</mark>';
    pos = h.end;
  }
  out += escapeHtml(text.slice(pos, to)) + (to < text.length ? ' …' : '');
  return out;
};

/** Title with matches marked (HTML). */
export const highlightTitle = (title: string, terms: QueryTerm[], lang: Language | null) => highlight(title, terms, lang, 10_000);
