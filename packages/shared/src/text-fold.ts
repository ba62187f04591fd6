// Text folding shared by the server (search, slugs) and the browser (slug placeholders); no zod here, so the
// agent app can import it without the contracts.

/**
 * Case and diacritics folding used for search in en, vi and pl. NFD strips most marks (ấ → a, ś → s),
 * but đ and ł are letters of their own that do not decompose, so they are folded explicitly.
 */
export const foldText = (s: string) =>
  s.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd').replace(/ł/g, 'l').replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/œ/g, 'oe');

/** A URL slug from a title in any of the three languages ("Chính sách đổi trả" → "chinh-sach-doi-tra"); '' when nothing is left. */
export const slugify = (title: string) =>
  foldText(title).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
