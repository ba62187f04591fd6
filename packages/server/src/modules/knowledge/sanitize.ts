import sanitizeHtml from 'sanitize-html';

// Article bodies are rich text stored as sanitised HTML: formatting, links, images, tables; no
// scripts, styles, event handlers, iframes or javascript: URLs. Links to other sites open safely.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'strong', 'b', 'em', 'i', 'u', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
    'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption', 'span', 'div', 'mark', 'kbd', 'sub', 'sup'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'title', 'width', 'height'], th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } : attribs }),
  },
};

export const sanitizeArticleHtml = (html: string) => sanitizeHtml(html, OPTIONS).trim();

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Plain text of sanitised HTML (for search, snippets and the email-like previews), blocks on their own lines. */
export const htmlToText = (html: string) =>
  html.replace(/<(br|hr)\s*\/?>/gi, '\n').replace(/<\/(p|li|h\d|tr|blockquote|pre|div|figcaption|table)>/gi, '\n').replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|[a-z]+|#39);/gi, (m, e: string) => {
      if (ENTITIES[e.toLowerCase()]) return ENTITIES[e.toLowerCase()]!;
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
      return m;
    })
    .replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
