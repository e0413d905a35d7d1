import { createHash } from 'node:crypto';

/** A portal contract the member signs before the first application (R2). Texts are versioned data. */
export interface PortalContract {
  readonly id: string;
  readonly title: string;
  readonly titleEn: string;
  readonly version: string;
  readonly text: string;
  readonly sha256: string;
}

function contract(c: Omit<PortalContract, 'sha256'>): PortalContract {
  // the hash is of the exact UTF-8 text the member read; changing a comma makes a new version
  return { ...c, sha256: createHash('sha256').update(c.text, 'utf8').digest('hex') };
}

export const PORTAL_CONTRACTS: readonly PortalContract[] = [
  contract({
    id: 'portal-kullanim',
    title: 'Kefalet Portalı Kullanım Sözleşmesi',
    titleEn: 'Guarantee Portal Terms of Use',
    version: '2026.1',
    text: [
      '1. Taraflar ve konu. Bu sözleşme, Kefalet Portalı ile portal üzerinden kefalet başvurusu yapan ihracatçı firma yetkilisi arasında, portalın kullanım koşullarını düzenler.',
      '2. Yetki. Üye, MERSİS kayıtlarında firmanın yetkilisi olarak yer aldığını ve firma adına başvuru yapmaya yetkili olduğunu beyan eder.',
      '3. Veri paylaşımı. Üye, başvurunun değerlendirilmesi için firmaya ait bilgilerin MERSİS, Gelir İdaresi Başkanlığı, Sosyal Güvenlik Kurumu, Gümrük ve Kredi Kayıt Bürosu kaynaklarından alınmasına ve kefalet uygunluğu ile birlikte İGE ortağı bankalarla paylaşılmasına izin verir.',
      '4. Beyanların doğruluğu. Üye, portala girdiği bilgilerin doğru ve eksiksiz olduğunu kabul eder. Gerçek dışı veya eksik beyan, bankalara tekliflerinden cayma hakkı verir.',
      '5. Teklif ve başvuru süresi. Teklif verme süresinin sonunda üye, seçtiği bankaya Teklif Referans Numarası ile 2 iş günü içinde başvurmalıdır; aksi hâlde banka teklifinden cayabilir.',
      '6. Elektronik imza. Bu sözleşme e-imza veya mobil imza ile imzalanır ve imza kaydı portalda saklanır.',
    ].join('\n'),
  }),
  contract({
    id: 'kvkk-aydinlatma',
    title: 'KVKK Aydınlatma Metni ve Açık Rıza',
    titleEn: 'Personal Data Notice and Consent (KVKK)',
    version: '2026.1',
    text: [
      'Kişisel verileriniz 6698 sayılı Kişisel Verilerin Korunması Kanunu uyarınca, kefalet başvurunuzun alınması, değerlendirilmesi ve bankalara iletilmesi amacıyla işlenir.',
      'Kimlik ve iletişim bilgileriniz üyelik ve imza işlemleri için; firmanıza ait kamu kaynaklı veriler kredi değerlendirmesi için kullanılır.',
      'Verileriniz yalnızca başvurunuza teklif veren İGE ortağı bankalarla ve yasal yükümlülükler çerçevesinde yetkili kurumlarla paylaşılır.',
      'Kanunun 11. maddesindeki haklarınızı portal üzerinden kullanabilirsiniz.',
    ].join('\n'),
  }),
];

export function findContract(id: string): PortalContract | undefined {
  return PORTAL_CONTRACTS.find((c) => c.id === id);
}
