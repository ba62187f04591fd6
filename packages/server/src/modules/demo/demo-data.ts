import type { ConversationStatus, Priority } from '@careline/shared';

// Demo customers and conversations in the seeds' three languages (en, vi, pl).
export const DEMO_CUSTOMERS = [
  { name: 'Emma Thompson', language: 'en', timeZone: 'Europe/London', birthday: '1988-04-12', identities: [{ kind: 'email', value: 'emma.thompson@example.com' }], customAttributes: { plan: 'Gold', orders: 7 } },
  { name: 'Nguyễn Thị Hoa', language: 'vi', timeZone: 'Asia/Ho_Chi_Minh', birthday: '1992-09-02', identities: [{ kind: 'email', value: 'hoa.nguyen@example.vn' }, { kind: 'phone', value: '+84 90 123 4567' }], customAttributes: { plan: 'Silver', orders: 3 } },
  { name: 'Trần Văn Minh', language: 'vi', timeZone: 'Asia/Ho_Chi_Minh', birthday: null, identities: [{ kind: 'visitor', value: 'demo-visitor-minh' }], customAttributes: {} },
  { name: 'Agnieszka Wiśniewska', language: 'pl', timeZone: 'Europe/Warsaw', birthday: '1979-12-24', identities: [{ kind: 'email', value: 'agnieszka.w@example.pl' }], customAttributes: { plan: 'Gold', orders: 12 } },
  { name: 'Łukasz Zieliński', language: 'pl', timeZone: 'Europe/Warsaw', birthday: null, identities: [{ kind: 'email', value: 'lukasz.z@example.pl' }], customAttributes: {} },
  { name: 'Daniel Okafor', language: 'en', timeZone: 'America/Chicago', birthday: null, isInternal: true, identities: [{ kind: 'email', value: 'daniel.okafor@lumen.example' }], customAttributes: { department: 'Warehouse' } },
];

type Msg = { kind: 'incoming' | 'outgoing' | 'note'; text: string };
type DemoConversation = {
  customer: number; channel: 'email' | 'chat'; subject: string; priority: Priority; status: ConversationStatus;
  tags: string[]; team: 'support' | 'returns' | null; assignee: 'linh' | 'piotr' | null; messages: Msg[];
};

export const DEMO_CONVERSATIONS: DemoConversation[] = [
  { customer: 0, channel: 'email', subject: 'Lamp arrived with a cracked shade', priority: 'high', status: 'open', tags: ['damaged', 'order'], team: 'returns', assignee: 'piotr', messages: [
    { kind: 'incoming', text: 'Hello, my Aurora floor lamp (order #58213) arrived today and the glass shade is cracked. Can you send a replacement? I need it before Friday.' },
    { kind: 'note', text: 'Warehouse confirms one Aurora shade in stock. Offer express replacement.' },
    { kind: 'outgoing', text: 'Hi Emma, I am so sorry the shade arrived broken. A new one leaves today by express delivery and should reach you on Thursday. No need to send the old one back.' },
  ] },
  { customer: 1, channel: 'email', subject: 'Đổi trả sản phẩm không đúng màu', priority: 'normal', status: 'open', tags: ['return'], team: 'returns', assignee: 'linh', messages: [
    { kind: 'incoming', text: 'Chào shop, tôi đặt rèm màu xanh nhưng nhận được màu xám. Tôi muốn đổi trả, thủ tục thế nào ạ?' },
  ] },
  { customer: 2, channel: 'chat', subject: 'Hỏi về chất lượng đèn LED', priority: 'normal', status: 'pending', tags: ['pre-sales'], team: 'support', assignee: 'linh', messages: [
    { kind: 'incoming', text: 'Đèn LED bên mình bảo hành bao lâu vậy? Chất lượng có ổn không?' },
    { kind: 'outgoing', text: 'Dạ chào anh Minh, đèn LED được bảo hành 24 tháng, đổi mới trong 30 ngày đầu nếu có lỗi ạ.' },
  ] },
  { customer: 3, channel: 'email', subject: 'Zwrot zamówienia 77120', priority: 'normal', status: 'open', tags: ['return'], team: 'returns', assignee: null, messages: [
    { kind: 'incoming', text: 'Dzień dobry, chciałabym zwrócić dwie poduszki z zamówienia 77120. Jak wygląda procedura zwrotu?' },
  ] },
  { customer: 4, channel: 'email', subject: 'Gwarancja na lampę biurkową', priority: 'low', status: 'resolved', tags: ['warranty'], team: 'support', assignee: 'piotr', messages: [
    { kind: 'incoming', text: 'Moja lampa biurkowa przestała działać po 8 miesiącach. Czy jest objęta gwarancją?' },
    { kind: 'outgoing', text: 'Dzień dobry Panie Łukaszu, tak, lampa ma 2 lata gwarancji. Wysłaliśmy etykietę zwrotną na Pana adres e-mail.' },
    { kind: 'incoming', text: 'Dziękuję, paczka wysłana!' },
  ] },
  { customer: 0, channel: 'chat', subject: 'Discount code not working', priority: 'urgent', status: 'open', tags: ['billing'], team: 'support', assignee: null, messages: [
    { kind: 'incoming', text: 'The code WELCOME10 says it is invalid at checkout. I am trying to order right now.' },
  ] },
  { customer: 5, channel: 'email', subject: 'Stock check for Aurora shades', priority: 'normal', status: 'open', tags: ['internal'], team: 'support', assignee: 'linh', messages: [
    { kind: 'incoming', text: 'Hi team, we have 4 Aurora shades left. Let me know before promising more replacements.' },
  ] },
];
