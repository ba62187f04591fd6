import type { ParsedEmail } from './parse-mail.ts';

/**
 * Mail no human wrote. Such messages are stored in their conversation but never reopen it, never
 * trigger an automatic answer (so two help desks cannot answer each other forever), and bounces mark
 * the outgoing message they refer to as failed.
 */
export type Automation = { kind: 'auto_reply' | 'bounce' | 'bulk'; reason: string } | null;

const OOO_SUBJECT = new RegExp('^(?:(?:re|aw|sv|vs|odp|tr|rv|wg|fw|fwd)\\s*:\\s*)*(?:' + [
  'auto(?:matic)?[ -]?(?:reply|response|answer)', 'out of (?:the )?office', 'ooo\\b', 'away from (?:the )?office',
  'abwesenheitsnotiz', 'automatische antwort', 'réponse automatique', 'respuesta automática', 'fuera de la oficina',
  'automatyczna odpowiedź', 'poza biurem', 'nieobecność', 'trả lời tự động', 'vắng mặt', 'автоответ', 'автоматический ответ', 'нет на месте', 'вне офиса',
  'automatisch antwoord', 'risposta automatica', 'fuori ufficio', 'resposta automática', 'fora do escritório',
].join('|') + ')', 'i');

const BOUNCE_SUBJECT = /^(undeliver(?:able|ed)|delivery (?:status notification|failure|has failed)|mail delivery (?:failed|failure|system)|returned mail|failure notice|nondeliverable|unzustellbar|non remis|no se puede entregar|niedostarczalna|không thể gửi|недоставленное|не доставлено)/i;

export const classifyEmail = (mail: ParsedEmail): Automation => {
  const h = mail.headers;
  const contentType = h['content-type'] ?? '';
  const from = mail.from?.address ?? '';
  if (/multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType)) return { kind: 'bounce', reason: 'delivery status report' };
  if (mail.bounce && (mail.bounce.status || mail.bounce.action)) return { kind: 'bounce', reason: 'delivery status' };
  if ((/^(mailer-daemon|postmaster)@/i.test(from) || !mail.from) && BOUNCE_SUBJECT.test(mail.subject)) return { kind: 'bounce', reason: 'bounce subject' };
  const autoSubmitted = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  if (h['x-autoreply'] || h['x-autorespond'] || h['x-autoresponder']) return { kind: 'auto_reply', reason: 'X-Autoreply' };
  if (/\b(all|oof|autoreply)\b/i.test(h['x-auto-response-suppress'] ?? '') && OOO_SUBJECT.test(mail.subject)) return { kind: 'auto_reply', reason: 'X-Auto-Response-Suppress' };
  const precedence = (h.precedence ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto_reply', reason: 'Precedence: auto_reply' };
  if (['bulk', 'junk', 'list'].includes(precedence)) return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  if (h['x-post-messageclass']?.includes('9; Autoresponder')) return { kind: 'auto_reply', reason: 'X-POST-MessageClass' };
  if (OOO_SUBJECT.test(mail.subject)) return { kind: 'auto_reply', reason: 'out-of-office subject' };
  return null;
};
