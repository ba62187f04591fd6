// Every text the widget shows, in the three supported languages.
export type Lang = 'en' | 'vi' | 'pl';

const en = {
  open: 'Open chat', close: 'Close chat', placeholder: 'Write a message…', send: 'Send', attach: 'Attach a file',
  online: 'We are online', offline: 'We are away right now', backAt: (t: string) => `Back ${t}`,
  offlineAsk: 'Leave your email and we will answer there.', emailPlaceholder: 'you@example.com', save: 'Save',
  emailSaved: (e: string) => `We will reply to ${e}.`, typing: (n: string) => `${n} is typing…`, seen: 'Seen',
  preChatTitle: 'Before we start', name: 'Your name', email: 'Your email', start: 'Start chat',
  transcript: 'Email me this conversation', transcriptSent: (e: string) => `Transcript sent to ${e}.`,
  articles: 'These articles may help:', reconnecting: 'Reconnecting…', tooLong: (n: number) => `At most ${n} characters.`,
  tooBig: 'The file is too large.', failed: 'Not sent — tap to retry', you: 'You', poweredBy: 'Chat by Careline',
};
type Texts = typeof en;

const vi: Texts = {
  open: 'Mở trò chuyện', close: 'Đóng trò chuyện', placeholder: 'Nhập tin nhắn…', send: 'Gửi', attach: 'Đính kèm tệp',
  online: 'Chúng tôi đang trực tuyến', offline: 'Hiện chúng tôi không trực tuyến', backAt: (t) => `Quay lại ${t}`,
  offlineAsk: 'Hãy để lại email, chúng tôi sẽ trả lời qua email.', emailPlaceholder: 'ban@example.com', save: 'Lưu',
  emailSaved: (e) => `Chúng tôi sẽ trả lời tới ${e}.`, typing: (n) => `${n} đang nhập…`, seen: 'Đã xem',
  preChatTitle: 'Trước khi bắt đầu', name: 'Tên của bạn', email: 'Email của bạn', start: 'Bắt đầu trò chuyện',
  transcript: 'Gửi nội dung cuộc trò chuyện qua email', transcriptSent: (e) => `Đã gửi nội dung tới ${e}.`,
  articles: 'Các bài viết này có thể giúp bạn:', reconnecting: 'Đang kết nối lại…', tooLong: (n) => `Tối đa ${n} ký tự.`,
  tooBig: 'Tệp quá lớn.', failed: 'Chưa gửi được — nhấn để thử lại', you: 'Bạn', poweredBy: 'Trò chuyện bởi Careline',
};

const pl: Texts = {
  open: 'Otwórz czat', close: 'Zamknij czat', placeholder: 'Napisz wiadomość…', send: 'Wyślij', attach: 'Dołącz plik',
  online: 'Jesteśmy dostępni', offline: 'Teraz nas nie ma', backAt: (t) => `Wracamy ${t}`,
  offlineAsk: 'Zostaw adres e-mail, a odpowiemy tam.', emailPlaceholder: 'ty@example.com', save: 'Zapisz',
  emailSaved: (e) => `Odpowiemy na ${e}.`, typing: (n) => `${n} pisze…`, seen: 'Przeczytano',
  preChatTitle: 'Zanim zaczniemy', name: 'Imię', email: 'Adres e-mail', start: 'Rozpocznij czat',
  transcript: 'Wyślij mi tę rozmowę e-mailem', transcriptSent: (e) => `Zapis wysłano na ${e}.`,
  articles: 'Te artykuły mogą pomóc:', reconnecting: 'Ponowne łączenie…', tooLong: (n) => `Najwyżej ${n} znaków.`,
  tooBig: 'Plik jest za duży.', failed: 'Nie wysłano — kliknij, aby ponowić', you: 'Ty', poweredBy: 'Czat: Careline',
};

export const TEXTS: Record<Lang, Texts> = { en, vi, pl };

/** 'auto' follows the browser (navigator.languages), falling back to English. */
export const pickLanguage = (wanted: string | undefined, browser: readonly string[]): Lang => {
  if (wanted === 'en' || wanted === 'vi' || wanted === 'pl') return wanted;
  for (const l of browser) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'en' || base === 'vi' || base === 'pl') return base;
  }
  return 'en';
};
