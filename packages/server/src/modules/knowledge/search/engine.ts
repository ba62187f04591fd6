import type { Tx } from '../../../db/connection.ts';
import type { IndexDoc, QueryTerm } from './text.ts';

/**
 * What each database engine provides for knowledge search. Both index the same folded, stemmed terms
 * (text.ts), so they answer the same queries; only the index structure and the ranking function differ.
 */
export type SearchFilter = { languages: string[] | null; status: string | null; includeInternal: boolean };
export type EngineHit = { docId: number; score: number };
/**
 * broad: the query matches so many documents (words in most articles) that ranking every match would
 * cost more than it tells; the engine then ranks a bounded candidate set: the newest matches in titles
 * and the newest matches anywhere.
 */
export type QueryOptions = {
  mode: 'all' | 'any'; limit: number; broad?: boolean;
  /** At most this many documents match (the vocabulary's counts), if known: lets an engine size its index reads. */
  estimate?: number;
  /** The largest doc id in the index, if known (with estimate: how densely matches lie among the doc ids). */
  maxDocId?: number;
  /** How many documents hold each term (aligned with the terms), if known. */
  dfs?: number[];
};

export type SearchEngine = {
  /** More matching documents than this (by the vocabulary's counts) makes a query broad for this engine. */
  broadAbove: number;
  /** How many of the newest title matches, and of the newest matches anywhere, a broad query ranks. */
  broadCandidates: number;
  /** Replaces the index entry of one translation (its row in kb_translations exists). */
  indexDoc(tx: Tx, docId: number, doc: IndexDoc): Promise<void>;
  removeDoc(tx: Tx, docId: number): Promise<void>;
  /** Best documents first; mode 'all' needs every query term, 'any' at least one. */
  query(db: Tx, terms: QueryTerm[], filter: SearchFilter, opts: QueryOptions): Promise<EngineHit[]>;
  /** Vocabulary terms similar to a (misspelt) term by trigram similarity, best first. */
  similarTerms(db: Tx, term: string, limit: number): Promise<{ term: string; similarity: number; df: number }[]>;
  /** Counts terms in (delta 1) or out (-1) of the vocabulary. */
  countTerms(tx: Tx, terms: string[], delta: 1 | -1): Promise<void>;
};

export const metaFilter = (f: SearchFilter) => [
  f.languages ? `(${f.languages.map((l) => `zzl${l}`).join(' OR ')})` : null,
  f.status ? `zzs${f.status}` : null,
  f.includeInternal ? null : 'zzvpublic',
].filter((x): x is string => x !== null);

/** The next string after every string starting with prefix (for index range scans). */
export const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
