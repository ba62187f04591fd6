import type { Language } from '@careline/shared';
import type { OutgoingSender } from '../../conversations/index.ts';
import { loadMessages } from '../../conversations/index.ts';
import { loadContacts } from '../../contacts/index.ts';
import { enqueueSystemMail } from '../../../platform/mail/system-mail.ts';
import { fromJson } from '../../../db/dialect.ts';

const PORTAL_LINE: Record<Language, string> = {
  en: 'To reply, answer in the customer portal:', vi: 'Để trả lời, hãy phản hồi trong cổng khách hàng:', pl: 'Aby odpowiedzieć, napisz w portalu klienta:',
};

/**
 * An agent's reply in a web-form conversation goes to the customer's email address as system mail
 * (durable job), with a link to the portal where the customer can answer.
 */
export const sendWebformReply: OutgoingSender = async (w, ctx, { messageId, conversation, inbox }) => {
  const [message] = await loadMessages(w.tx, { ids: [messageId] });
  const [contact] = await loadContacts(w.tx, [conversation.contact_id]);
  const email = contact?.identities.find((i) => i.kind === 'email')?.value;
  if (!message || !email) return 'failed';
  const attrs = fromJson<Record<string, unknown>>(conversation.custom_attributes, {});
  const lang = (['en', 'vi', 'pl'].includes(String(attrs.webformLanguage)) ? attrs.webformLanguage : contact?.language ?? 'en') as Language;
  const portal = `${ctx.config.publicUrl}/portal?lang=${lang}`;
  await enqueueSystemMail(w, ctx, {
    to: email, subject: `Re: [#${conversation.number}] ${conversation.subject}`.slice(0, 250),
    text: `${message.text}\n\n— ${inbox.business_name || inbox.name}\n\n${PORTAL_LINE[lang]} ${portal}`,
    headers: { 'X-Careline-Conversation': String(conversation.number) },
  });
  return 'sent';
};
