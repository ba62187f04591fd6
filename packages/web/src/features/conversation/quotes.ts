import type { TMessage } from '@careline/shared';

/**
 * Splits an email body into what the customer wrote now and the quoted history. The email channel
 * stores the trimmed reply in text and the original in metadata; for other bodies, the usual quote
 * markers ("On … wrote:", "-----Original Message-----", trailing "> " lines) are folded.
 */
export const splitQuote = (m: TMessage): { body: string; quoted: string | null } => {
  const meta = m.metadata as Record<string, unknown>;
  const full = [meta.fullText, meta.originalText, meta.quotedText, meta.textWithQuotes, (meta.email as Record<string, unknown> | undefined)?.fullText]
    .find((v): v is string => typeof v === 'string' && v.trim().length > 0);
  if (full) {
    const quoted = full.startsWith(m.text.trim()) ? full.slice(m.text.trim().length).trim() : full.trim();
    return { body: m.text, quoted: quoted && quoted !== m.text.trim() ? quoted : null };
  }
  const lines = m.text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const isHeader = /^(on .{4,200} wrote:|w dniu .{4,200} napisał\(a\)?:|vào .{4,200} đã viết:|-{2,}\s*original message\s*-{2,}|-{2,}\s*wiadomość oryginalna\s*-{2,}|from: .+)$/i.test(line);
    const restQuoted = lines.slice(i).every((l) => !l.trim() || l.trimStart().startsWith('>'));
    if (isHeader || (line.startsWith('>') && restQuoted)) {
      const body = lines.slice(0, i).join('\n').trimEnd();
      if (body.trim()) return { body, quoted: lines.slice(i).join('\n').trim() };
    }
  }
  return { body: m.text, quoted: null };
};
