/**
 * The conversation token in subjects: "Re: Broken lamp [#1042]". Conversation numbers are sequential,
 * so a token alone never threads a stranger's mail into a conversation (the sender must be a participant).
 */
const TOKEN = /\s*\[#(\d{1,12})\]/;

export const subjectToken = (subject: string) => {
  const m = TOKEN.exec(subject);
  return m ? Number(m[1]) : null;
};

export const stripSubjectToken = (subject: string) => subject.replace(TOKEN, '').trim();

/** Subject of our reply: the conversation's subject with "Re:" and the token, never "Re: Re: Re:". */
export const replySubject = (subject: string, number: number, prefix = 'Re: ') => {
  const clean = stripSubjectToken(subject).replace(/^((re|aw|sv|odp|fwd?|wg|tr)\s*:\s*)+/i, '').trim() || '(no subject)';
  return `${prefix}${clean} [#${number}]`;
};
