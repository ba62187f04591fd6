import type { Language } from '@careline/shared';

// Demo help center of "Lumen Home" (lamps and home goods) in English, Vietnamese and Polish.
export type DemoArticle = {
  category: string; isInternal?: boolean; tags: string[];
  translations: Partial<Record<Language, { title: string; body: string }>>;
};

export const DEMO_CATEGORIES: { slug: string; position: number; names: Record<Language, string>; descriptions: Record<Language, string> }[] = [
  { slug: 'orders-shipping', position: 1, names: { en: 'Orders & shipping', vi: 'Đơn hàng & vận chuyển', pl: 'Zamówienia i dostawa' },
    descriptions: { en: 'Delivery times, costs and tracking', vi: 'Thời gian giao hàng, phí và theo dõi đơn', pl: 'Czas dostawy, koszty i śledzenie przesyłki' } },
  { slug: 'returns-warranty', position: 2, names: { en: 'Returns & warranty', vi: 'Đổi trả & bảo hành', pl: 'Zwroty i gwarancja' },
    descriptions: { en: 'Send something back, get it repaired or replaced', vi: 'Gửi trả hàng, sửa chữa hoặc thay thế', pl: 'Odeślij produkt, napraw go lub wymień' } },
  { slug: 'product-care', position: 3, names: { en: 'Product quality & care', vi: 'Chất lượng & bảo quản sản phẩm', pl: 'Jakość i pielęgnacja produktów' },
    descriptions: { en: 'How our products are made and how to look after them', vi: 'Sản phẩm được làm thế nào và cách giữ gìn', pl: 'Jak powstają nasze produkty i jak o nie dbać' } },
];

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    category: 'returns-warranty', tags: ['returns', 'refund'],
    translations: {
      en: { title: 'Returns and refunds', body: `<p>You can return any item within <strong>30 days</strong> of delivery, for any reason. The item should be unused and in its original packaging.</p>
<h2>How to return an item</h2><ol><li>Open the web form and choose "Return an item", or reply to your order confirmation.</li><li>We email you a prepaid return label within one business day.</li><li>Pack the item well and drop it off at any parcel point.</li></ol>
<h2>Refunds</h2><p>We refund the full price to your original payment method within 5 business days of receiving the return. Shipping costs are refunded when the item was faulty or we sent the wrong one.</p>` },
      vi: { title: 'Chính sách đổi trả và hoàn tiền', body: `<p>Bạn có thể đổi trả mọi sản phẩm trong vòng <strong>30 ngày</strong> kể từ khi nhận hàng, với bất kỳ lý do nào. Sản phẩm cần còn mới và trong bao bì gốc.</p>
<h2>Cách đổi trả hàng</h2><ol><li>Mở biểu mẫu liên hệ và chọn "Đổi trả sản phẩm", hoặc trả lời email xác nhận đơn hàng.</li><li>Chúng tôi gửi nhãn vận chuyển trả trước qua email trong một ngày làm việc.</li><li>Đóng gói cẩn thận và gửi tại bất kỳ điểm nhận hàng nào.</li></ol>
<h2>Hoàn tiền</h2><p>Chúng tôi hoàn lại toàn bộ tiền vào phương thức thanh toán ban đầu trong 5 ngày làm việc sau khi nhận được hàng trả. Phí vận chuyển được hoàn nếu sản phẩm bị lỗi hoặc giao nhầm.</p>` },
      pl: { title: 'Zwroty i zwrot pieniędzy', body: `<p>Każdy produkt możesz zwrócić w ciągu <strong>30 dni</strong> od dostawy, bez podawania przyczyny. Produkt powinien być nieużywany i w oryginalnym opakowaniu.</p>
<h2>Jak dokonać zwrotu</h2><ol><li>Otwórz formularz kontaktowy i wybierz „Zwrot produktu” albo odpowiedz na potwierdzenie zamówienia.</li><li>W ciągu jednego dnia roboczego wyślemy Ci opłaconą etykietę zwrotu.</li><li>Zapakuj produkt starannie i nadaj go w dowolnym punkcie.</li></ol>
<h2>Zwrot pieniędzy</h2><p>Pełną kwotę zwrotu przelewamy tą samą metodą płatności w ciągu 5 dni roboczych od otrzymania przesyłki. Koszty wysyłki zwracamy, gdy produkt był wadliwy lub wysłaliśmy niewłaściwy.</p>` },
    },
  },
  {
    category: 'returns-warranty', tags: ['warranty', 'repair'],
    translations: {
      en: { title: 'Warranty: what is covered and how to claim', body: `<p>Every Lumen Home product has a <strong>2-year warranty</strong> from the date of delivery. Lamps and electrical parts have 3 years.</p>
<h2>What the warranty covers</h2><ul><li>Manufacturing defects: loose joints, cracked glass out of the box, faulty wiring or switches.</li><li>LED modules that fail or flicker in normal use.</li></ul><p>It does not cover wear and tear, accidents, or damage from incorrect installation.</p>
<h2>How to make a warranty claim</h2><p>Send us your order number, a short description and a photo or video of the problem through the contact form. We repair, replace or refund — you never pay for shipping on a warranty claim.</p>` },
      vi: { title: 'Bảo hành: phạm vi và cách yêu cầu bảo hành', body: `<p>Mọi sản phẩm của Lumen Home đều được <strong>bảo hành 2 năm</strong> kể từ ngày giao hàng. Đèn và linh kiện điện được bảo hành 3 năm.</p>
<h2>Bảo hành bao gồm</h2><ul><li>Lỗi sản xuất: mối nối lỏng, kính bị nứt khi mở hộp, dây điện hoặc công tắc bị hỏng.</li><li>Mô-đun LED bị hỏng hoặc nhấp nháy khi sử dụng bình thường.</li></ul><p>Bảo hành không áp dụng cho hao mòn tự nhiên, tai nạn hoặc hư hỏng do lắp đặt sai.</p>
<h2>Cách yêu cầu bảo hành</h2><p>Gửi cho chúng tôi mã đơn hàng, mô tả ngắn và ảnh hoặc video về sự cố qua biểu mẫu liên hệ. Chúng tôi sửa chữa, thay thế hoặc hoàn tiền — bạn không phải trả phí vận chuyển khi bảo hành.</p>` },
      pl: { title: 'Gwarancja: co obejmuje i jak zgłosić reklamację', body: `<p>Każdy produkt Lumen Home jest objęty <strong>2-letnią gwarancją</strong> od dnia dostawy. Lampy i części elektryczne mają 3 lata gwarancji.</p>
<h2>Co obejmuje gwarancja</h2><ul><li>Wady fabryczne: luźne połączenia, pęknięte szkło po rozpakowaniu, wadliwe przewody lub włączniki.</li><li>Moduły LED, które przestały działać lub migają przy normalnym użytkowaniu.</li></ul><p>Gwarancja nie obejmuje zwykłego zużycia, przypadkowych uszkodzeń ani szkód wynikających z nieprawidłowego montażu.</p>
<h2>Jak zgłosić reklamację z gwarancji</h2><p>Wyślij nam przez formularz kontaktowy numer zamówienia, krótki opis i zdjęcie lub film pokazujący problem. Naprawimy, wymienimy produkt lub zwrócimy pieniądze — za wysyłkę w ramach gwarancji nigdy nie płacisz.</p>` },
    },
  },
  {
    category: 'orders-shipping', tags: ['shipping', 'delivery'],
    translations: {
      en: { title: 'Shipping times and costs', body: `<p>Orders placed before 2 pm on a business day leave our warehouse the same day.</p>
<table><thead><tr><th>Destination</th><th>Delivery time</th><th>Cost</th></tr></thead><tbody><tr><td>Vietnam</td><td>2–4 business days</td><td>Free over 500,000 ₫</td></tr><tr><td>Poland</td><td>1–3 business days</td><td>Free over 200 zł</td></tr><tr><td>Rest of the EU</td><td>3–6 business days</td><td>€9.90</td></tr></tbody></table>
<p>Large furniture ships by freight and the carrier calls you to agree on a delivery slot.</p>` },
      vi: { title: 'Thời gian và phí vận chuyển', body: `<p>Đơn hàng đặt trước 14 giờ vào ngày làm việc sẽ rời kho ngay trong ngày.</p>
<table><thead><tr><th>Nơi nhận</th><th>Thời gian giao hàng</th><th>Phí</th></tr></thead><tbody><tr><td>Việt Nam</td><td>2–4 ngày làm việc</td><td>Miễn phí cho đơn trên 500.000 ₫</td></tr><tr><td>Ba Lan</td><td>1–3 ngày làm việc</td><td>Miễn phí cho đơn trên 200 zł</td></tr><tr><td>Các nước EU khác</td><td>3–6 ngày làm việc</td><td>9,90 €</td></tr></tbody></table>
<p>Đồ nội thất lớn được giao bằng xe tải và đơn vị vận chuyển sẽ gọi điện để hẹn giờ giao.</p>` },
      pl: { title: 'Czas i koszty dostawy', body: `<p>Zamówienia złożone w dzień roboczy przed 14:00 wysyłamy tego samego dnia.</p>
<table><thead><tr><th>Kraj</th><th>Czas dostawy</th><th>Koszt</th></tr></thead><tbody><tr><td>Wietnam</td><td>2–4 dni robocze</td><td>Bezpłatnie od 500 000 ₫</td></tr><tr><td>Polska</td><td>1–3 dni robocze</td><td>Bezpłatnie od 200 zł</td></tr><tr><td>Pozostałe kraje UE</td><td>3–6 dni roboczych</td><td>9,90 €</td></tr></tbody></table>
<p>Duże meble dostarcza firma spedycyjna, która zadzwoni, aby ustalić termin dostawy.</p>` },
    },
  },
  {
    category: 'product-care', tags: ['quality', 'care'],
    translations: {
      en: { title: 'Our quality promise and product care', body: `<p>Every lamp is tested for 48 hours before it leaves the workshop, and every batch of fabric is checked for colour fastness.</p>
<h2>Caring for your products</h2><ul><li>Dust lamp shades with a soft dry brush; never use water on paper shades.</li><li>Wipe oiled wood with a dry cloth and re-oil it once a year.</li><li>Use only bulbs up to the wattage printed on the socket.</li></ul><p>If the quality of a product disappoints you, tell us: we replace it or take it back.</p>` },
      vi: { title: 'Cam kết chất lượng và cách bảo quản sản phẩm', body: `<p>Mỗi chiếc đèn được kiểm tra trong 48 giờ trước khi rời xưởng, và mỗi lô vải đều được kiểm tra độ bền màu.</p>
<h2>Bảo quản sản phẩm</h2><ul><li>Lau bụi chụp đèn bằng chổi mềm và khô; không dùng nước với chụp đèn bằng giấy.</li><li>Lau đồ gỗ phủ dầu bằng khăn khô và phủ dầu lại mỗi năm một lần.</li><li>Chỉ dùng bóng đèn có công suất không vượt quá mức in trên đui đèn.</li></ul><p>Nếu chất lượng sản phẩm làm bạn thất vọng, hãy cho chúng tôi biết: chúng tôi sẽ đổi sản phẩm mới hoặc nhận lại hàng.</p>` },
      pl: { title: 'Nasza obietnica jakości i pielęgnacja produktów', body: `<p>Każda lampa przechodzi 48-godzinny test, zanim opuści warsztat, a każda partia tkaniny jest sprawdzana pod kątem trwałości koloru.</p>
<h2>Pielęgnacja produktów</h2><ul><li>Abażury odkurzaj miękką, suchą szczotką; nigdy nie używaj wody do abażurów z papieru.</li><li>Olejowane drewno przecieraj suchą ściereczką i raz w roku olejuj ponownie.</li><li>Używaj żarówek o mocy nie większej niż podana na oprawce.</li></ul><p>Jeśli jakość produktu Cię rozczaruje, daj nam znać: wymienimy go lub przyjmiemy zwrot.</p>` },
    },
  },
  {
    category: 'orders-shipping', tags: ['tracking', 'order'],
    translations: {
      en: { title: 'Tracking your order', body: `<p>As soon as your parcel leaves our warehouse we email you a tracking link. You can also find it in the customer portal next to your conversation about the order.</p>
<p>If the tracking has not changed for 3 business days, contact us and we will open an investigation with the carrier.</p>` },
    },
  },
  {
    category: 'returns-warranty', isInternal: true, tags: ['warranty', 'internal'],
    translations: {
      en: { title: 'Handling a warranty claim (agents)', body: `<p>Internal procedure. Check the delivery date in the order system; lamps have 3 years, everything else 2 years.</p>
<ol><li>Ask for a photo or video if the customer did not send one.</li><li>Under 100 € value: send a replacement without a return.</li><li>Otherwise create a prepaid return label and tag the conversation <code>warranty</code>.</li></ol>` },
      pl: { title: 'Obsługa reklamacji gwarancyjnej (dla konsultantów)', body: `<p>Procedura wewnętrzna. Sprawdź datę dostawy w systemie zamówień; lampy mają 3 lata gwarancji, reszta 2 lata.</p>
<ol><li>Poproś o zdjęcie lub film, jeśli klient go nie przysłał.</li><li>Wartość poniżej 100 €: wyślij nowy produkt bez zwrotu.</li><li>W pozostałych przypadkach utwórz etykietę zwrotu i oznacz rozmowę tagiem <code>warranty</code>.</li></ol>` },
    },
  },
];
