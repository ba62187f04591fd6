import type { ChatLanguage } from '@careline/shared';

// Texts Careline sends to visitors by email, in every supported language.
const TEXTS = {
  en: {
    followUpSubject: (business: string) => `New reply from ${business}`,
    followUpIntro: (business: string) => `You have a new reply from ${business} in your chat:`,
    followUpOutro: 'Reply to this email to continue the conversation.',
    transcriptSubject: (business: string) => `Your chat with ${business}`,
    transcriptIntro: (business: string) => `Here is the transcript of your chat with ${business}.`,
    you: 'You',
    emailLeft: (email: string) => `The visitor left an email address for follow-up: ${email}`,
  },
  vi: {
    followUpSubject: (business: string) => `Phản hồi mới từ ${business}`,
    followUpIntro: (business: string) => `Bạn có phản hồi mới từ ${business} trong cuộc trò chuyện:`,
    followUpOutro: 'Trả lời email này để tiếp tục cuộc trò chuyện.',
    transcriptSubject: (business: string) => `Cuộc trò chuyện của bạn với ${business}`,
    transcriptIntro: (business: string) => `Đây là nội dung cuộc trò chuyện của bạn với ${business}.`,
    you: 'Bạn',
    emailLeft: (email: string) => `Khách truy cập đã để lại email để nhận phản hồi: ${email}`,
  },
  pl: {
    followUpSubject: (business: string) => `Nowa odpowiedź od ${business}`,
    followUpIntro: (business: string) => `Masz nową odpowiedź od ${business} na czacie:`,
    followUpOutro: 'Odpowiedz na tę wiadomość, aby kontynuować rozmowę.',
    transcriptSubject: (business: string) => `Twoja rozmowa z ${business}`,
    transcriptIntro: (business: string) => `Oto zapis Twojej rozmowy z ${business}.`,
    you: 'Ty',
    emailLeft: (email: string) => `Odwiedzający zostawił adres e-mail do kontaktu: ${email}`,
  },
} as const;

export const textsFor = (language: string | null | undefined) => TEXTS[(language && language in TEXTS ? language : 'en') as ChatLanguage];
