/**
 * Plain-text reply trimming. Two layers:
 *  1. parseFragments: a line-for-line port of github/email_reply_parser (MIT) — splits a reply into
 *     fragments flagged quoted / signature / hidden. Lines are scanned bottom-up (the original reverses
 *     the string; we reverse the line array and use forward-reading regexes, which is equivalent).
 *  2. trimReply: cuts at the first quote header in many languages ("On … wrote:", "Am … schrieb:",
 *     "W dniu … napisał:", "Vào … đã viết:", Outlook "From:/Sent:" blocks, "-----Original Message-----",
 *     forwarded-message separators) when new text stands above it, then applies layer 1.
 * Every regex is linear (no nested quantifiers over unbounded text), so hostile input cannot stall it.
 */
export type Fragment = { content: string; isQuoted: boolean; isSignature: boolean; isHidden: boolean };

// Reversed-string regexes of the original, rewritten for forward lines.
const SIG = /^\s*--|^\s*__|^-\w|^Sent from my(\s+\w+){1,3}$/;
const QUOTE_HEADER_EN = /^On.*wrote:$|^(From|Sent|To|Subject):/;

export const parseFragments = (input: string): Fragment[] => {
  let text = input.replace(/\r\n/g, '\n');
  text = joinMultiLineOnHeader(text);
  // A reply written directly above a line of underscores: make sure the underscores start a new block.
  text = text.replace(/([^\n])(?=\n_{8,}$)/gm, '$1\n');

  const fragments: Fragment[] = [];
  let current: { lines: string[]; isQuoted: boolean; isSignature: boolean } | null = null;
  let foundVisible = false;
  const finish = () => {
    if (!current) return;
    const content = current.lines.reverse().join('\n');
    let isHidden = false;
    if (!foundVisible) {
      if (current.isQuoted || current.isSignature || content.trim() === '') isHidden = true;
      else foundVisible = true;
    }
    fragments.push({ content, isQuoted: current.isQuoted, isSignature: current.isSignature, isHidden });
    current = null;
  };

  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    let line = lines[i]!;
    if (!SIG.test(line)) line = line.trimEnd();
    const isQuoted = line.startsWith('>');
    if (current && line === '') {
      const last = (current as { lines: string[] }).lines.at(-1)!;
      if (SIG.test(last)) { (current as { isSignature: boolean }).isSignature = true; finish(); }
    }
    const cur = current as { lines: string[]; isQuoted: boolean } | null;
    if (cur && (cur.isQuoted === isQuoted || (cur.isQuoted && (QUOTE_HEADER_EN.test(line) || line === '')))) cur.lines.push(line);
    else { finish(); current = { lines: [line], isQuoted, isSignature: false }; }
  }
  finish();
  return fragments.reverse();
};

export const visibleText = (fragments: Fragment[]) => fragments.filter((f) => !f.isHidden).map((f) => f.content).join('\n').trimEnd();

/**
 * Some clients wrap "On <date>, <name> <address> wrote:" over two or three lines; join it so it is
 * recognised. Bounded look-ahead (the original's /m regex is quadratic on hostile input).
 */
const joinMultiLineOnHeader = (text: string) => {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^On\s/.test(lines[i]!) || /wrote:$/.test(lines[i]!)) continue;
    if (i > 0 && /^On[.\s]*$/.test(lines[i - 1]!)) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 3); j++) {
      if (lines[j]!.length > 300) break;
      if (/wrote:$/.test(lines[j]!)) {
        const joined = lines.slice(i, j + 1).join(' ');
        lines.splice(i, j - i + 1, joined);
        return lines.join('\n');
      }
    }
  }
  return text;
};

// ---- multilingual quote headers (layer 2)
const WROTE_HEADERS = [
  /^On\b.{0,400}\bwrote:?$/i, // en (Gmail, Apple Mail, Thunderbird)
  /^Am\b.{0,400}\bschrieb.{0,200}:$/i, // de
  /^Le\s.{0,400}\sa écrit\s?:$/i, // fr
  /^El\s.{0,400}\sescribió:?$/i, // es
  /^(W dniu|Dnia)\s.{0,400}\s(napisał|napisała|napisał\(a\)|pisze)\s?:$/i, // pl
  /^Vào\s.{0,400}\sđã viết:?$/i, // vi
  /^.{0,400}\s(написал|написала|написал\(а\)|пишет)\s?:$/i, // ru
  /^Op\b.{0,400}\bschreef.{0,200}:$/i, // nl
  /^Il\b.{0,400}\bha scritto:?$/i, // it
  /^(Em|No dia)\b.{0,400}\bescreveu:?$/i, // pt
  /^Den\b.{0,400}\bskrev.{0,200}:$/i, // sv, da, no
  /^.{0,400}\bkirjoitti:?$/i, // fi
  /^.{0,400}\s(napsal|napísal)(\(a\)|a)?:$/i, // cs, sk
  /^.{0,400}\syazdı:$/i, // tr
  /^.{0,400}\s+<[^>\s]+@[^>\s]+>\s*(wrote|schrieb|a écrit|escribió|napisał|đã viết|написал):?$/i,
];
/** Any language: a line with a date and an address in angle brackets, ending in a colon, above quoted lines. */
const GENERIC_HEADER = /^.{0,300}\d.{0,300}<[^>\s]+@[^>\s]+>\)?\s?:$/;
const HEADER_END = /(:|wrote|escribió|đã viết|ha scritto|escreveu|kirjoitti)$/i;
const SEPARATORS = [
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Wiadomość oryginalna|Oryginalna wiadomość|Thư gốc|Исходное сообщение|Oorspronkelijk bericht|Messaggio originale|Mensagem original)\s*-{2,}$/i,
  /^-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Wiadomość przekazana dalej|Przekazana wiadomość|Thư được chuyển tiếp|Пересылаемое сообщение|Doorgestuurd bericht|Messaggio inoltrato|Mensagem encaminhada)\s*-{2,}$/i,
  /^(Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado|Początek przekazanej wiadomości):?$/i,
  /^_{20,}$/, // Outlook's rule above its header block
];
// Outlook header blocks: a From-like line followed within a few lines by a Sent/Date-like and a Subject/To-like line.
const FROM_LABEL = /^\*?(From|Von|De|Od|Từ|От|Van|Da|Fra|Från|Lähettäjä)\s?:\*?\s/i;
const SENT_LABEL = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Date|Enviado|Fecha|Wysłano|Data|Đã gửi|Ngày|Отправлено|Дата|Verzonden|Inviato|Skickat|Lähetetty)\s?:?\*?\s/i;
const SUBJECT_LABEL = /^\*?(Subject|To|Betreff|An|Objet|À|Asunto|Para|Temat|Do|Chủ đề|Tiêu đề|Đến|Тема|Кому|Onderwerp|Aan|Oggetto|A|Ämne|Till|Aihe)\s?:\*?\s/i;

const isHeaderBlock = (lines: string[], i: number) => {
  if (!FROM_LABEL.test(lines[i]!)) return false;
  const next = lines.slice(i + 1, i + 6).map((l) => l.trim());
  return next.some((l) => SENT_LABEL.test(l)) && next.some((l) => SUBJECT_LABEL.test(l));
};

/** Index of the line where quoted history starts (a quote header, separator or header block), or -1. */
export const findQuoteStart = (lines: string[]) => {
  const trimmed = lines.map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    const line = trimmed[i]!;
    if (!line || line.length > 1000) continue;
    if (SEPARATORS.some((r) => r.test(line)) || isHeaderBlock(trimmed, i)) return i;
    // A header may be wrapped over two or three lines.
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      const last = trimmed[i + span - 1]!;
      if (span > 1 && last === '') break;
      if (!HEADER_END.test(last)) continue; // cheap filter: every header ends in ':' or a "wrote" word
      const joined = trimmed.slice(i, i + span).join(' ');
      if (joined.length > 600) break;
      const after = lines.slice(i + span).find((l) => l.trim() !== '');
      const isQuoteBelow = after === undefined || after.trimStart().startsWith('>');
      if (WROTE_HEADERS.some((r) => r.test(joined)) || (isQuoteBelow && GENERIC_HEADER.test(joined))) return i;
    }
  }
  return -1;
};

export type TrimmedReply = { text: string; isTrimmed: boolean };

/** The customer's new text, with quoted history, forwarded blocks and signatures folded away. */
export const trimReply = (input: string): TrimmedReply => {
  const text = input.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const start = findQuoteStart(lines);
  let head = text;
  if (start > 0) {
    const above = lines.slice(0, start).join('\n');
    if (above.split('\n').some((l) => l.trim() !== '' && !l.trimStart().startsWith('>'))) head = above;
  }
  const visible = visibleText(parseFragments(head)).replace(/\n{3,}/g, '\n\n').trim();
  const result = visible || text.trim();
  return { text: result, isTrimmed: result !== text.trim() };
};
