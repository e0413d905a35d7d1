/*
 * The whole story in a real browser (Debian's Chromium through playwright-core) against a freshly
 * started product on a manual clock: the exporter applies and sees the decision, two banks bid and
 * one revises while the exporter's board re-ranks live, the clock passes the deadline, the exporter
 * downloads the offer document and selects, the chosen bank records the application, the analyst
 * replays it. Then the sealed-bid and firm isolation as the pages show it.
 *
 * Only the pages are driven; the HTTP API is used for nothing but moving the manual clock.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessDeadline } from '@kefalet/events';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/lib/format';
import {
  FIRM,
  FIRM_VKN,
  GARANTI,
  HALK,
  apply,
  fillNewOffer,
  offerPreview,
  offerSection,
  pageText,
  scrollToTop,
  useComputedRepayment,
  waitForBoard,
} from './flows';
import {
  PDFTOTEXT,
  buildWebIfStale,
  durationPast,
  launchChromium,
  login,
  newContext,
  requireTools,
  screenshotFolder,
  shoot,
  startProduct,
  type Product,
} from './support';

let product: Product | undefined;
let browser: Browser | undefined;
let shots = '';
const contexts: BrowserContext[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'kefalet-e2e-downloads-'));

beforeAll(async () => {
  requireTools();
  buildWebIfStale();
  product = await startProduct();
  browser = await launchChromium();
  shots = screenshotFolder();
  console.log(`[web-e2e] product pid ${product.pid} at ${product.baseUrl}`);
  console.log(`[web-e2e] screenshots: ${shots}`);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await product?.stop();
  rmSync(scratch, { recursive: true, force: true });
  if (shots) console.log(`[web-e2e] screenshots saved in ${shots}`);
});

async function open(timezoneId?: string): Promise<Page> {
  if (!browser || !product) throw new Error('the browser or the product did not start');
  const context = await newContext(browser, product.baseUrl, timezoneId);
  contexts.push(context);
  return context.newPage();
}

async function closeAll(...pages: Page[]) {
  for (const page of pages) {
    const context = page.context();
    await context.close();
    contexts.splice(contexts.indexOf(context), 1);
  }
}

/**
 * Everything the page receives from the product from now on: API answers, Socket.IO polling
 * answers and WebSocket frames. Not /api/demo: the login page's list of demo accounts names every
 * bank, on purpose.
 */
function capture(page: Page): string[] {
  const received: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', (frame) => received.push(String(frame.payload))),
  );
  page.on('response', (response) => {
    const url = response.url();
    if (/\/(api|socket\.io)\//.test(url) && !/\/api\/demo(\/|\?|$)/.test(url)) {
      response.text().then(
        (body) => received.push(body),
        () => {},
      );
    }
  });
  return received;
}

/** Marks the page's window: the mark survives anything but a reload or a navigation away. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as unknown as { e2eNoReload?: boolean }).e2eNoReload = true;
  });
}

async function samePage(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (globalThis as unknown as { e2eNoReload?: boolean }).e2eNoReload === true,
  );
}

const GARANTI_OFFER = {
  rate: '41,375',
  representative: 'Şükrü Öztürk',
  phone: '0212 555 01 02',
  email: 'sukru.ozturk@garantibbva.example',
};
const HALK_OFFER = {
  rate: '38,5',
  representative: 'Gülşen Çağlar',
  phone: '0312 444 04 00',
  email: 'gulsen.caglar@halkbank.example',
};

describe('the whole story in three browser contexts', () => {
  it('applies, bids, re-ranks live, closes by the clock, prints, selects and records', async () => {
    const running = product!;
    // the exporter's browser is in New York: every time on the pages must still be Istanbul's
    const exporter = await open('America/New_York');
    const garanti = await open();
    const halk = await open();

    // both banks have their live inboxes open before the application exists
    await login(garanti, GARANTI.email, /\/bank$/);
    await login(halk, HALK.email, /\/bank$/);
    const halkLive = halk.getByRole('status', { name: 'Canlı güncelleme' });
    await expect.poll(() => halkLive.innerText(), { timeout: 20_000 }).toBe('Canlı');
    await markPage(halk);

    // ---- the exporter applies and sees the decision (R3–R7) ----------------------------------
    await login(exporter, 'exporter@demo.test', /\/exporter$/);
    const appliedAt = await running.clockNow();
    const id = await apply(exporter, {
      amount: '1.000.000',
      maturityMonths: '12',
      purpose: 'Çözgü ipliği ve boya alımı; ihracat öncesi finansman',
    });
    const closes = businessDeadline(appliedAt, 7);
    const closesShown = formatDateTime(closes);
    expect(closesShown).toMatch(/ (23:59|13:00)$/);
    const bidding = exporter.getByRole('region', { name: 'Banka teklifleri' });
    await expect.poll(() => bidding.innerText()).toContain(closesShown);
    expect(await exporter.locator('body').textContent()).toContain('İGE Kredi Notu');
    await shoot(exporter, shots, '01-exporter-decision');

    // the application page, never reloaded from here on
    await exporter.getByRole('link', { name: 'Başvuruyu ve teklifleri izle' }).click();
    await exporter.waitForURL(new RegExp(`/exporter/applications/${id}$`));
    await exporter.getByRole('heading', { name: 'Bankalar teklif veriyor' }).waitFor();
    await markPage(exporter);

    // ---- the request arrives in both inboxes without a reload (R7) ----------------------------
    const request = (page: Page) => page.locator(`a[href="/bank/requests/${id}"]`);
    await request(halk).waitFor({ timeout: 20_000 });
    expect(await request(halk).getAttribute('aria-label')).toBe(`${FIRM} talebini incele`);
    expect(await samePage(halk)).toBe(true);

    // ---- bank 0062 bids through the offer form ------------------------------------------------
    await request(garanti).click();
    await garanti.waitForURL(new RegExp(`/bank/requests/${id}$`));
    await garanti.getByRole('heading', { level: 1, name: FIRM }).waitFor();
    // the bank's page (Istanbul) and the exporter's (New York) show the same Istanbul deadline
    expect(await pageText(garanti)).toContain(closesShown);
    await fillNewOffer(garanti, GARANTI_OFFER);
    await expect
      .poll(() => offerPreview(garanti).innerText())
      .toMatch(/Efektif yıllık maliyet\s*%\d+,\d\d/);
    await scrollToTop(offerSection(garanti).getByRole('group', { name: 'Faiz' }));
    await shoot(garanti, shots, '02-bank-offer-form-preview');
    await garanti.getByRole('button', { name: 'Teklifi gönder' }).click();
    await garanti.getByText('Teklifiniz gönderildi.').waitFor();

    // the exporter's board shows it without a reload, stamped with Istanbul's time of the offer
    await waitForBoard(exporter, [GARANTI.name]);
    expect(await samePage(exporter)).toBe(true);
    const board = exporter.getByRole('tabpanel', { name: /Teklifler/ });
    expect(await board.innerText()).toContain(formatDateTime(await running.clockNow()));

    // ---- bank 0012: its inbox counts the competing offer live, then it bids cheaper -----------
    const halkRow = halk.getByRole('row').filter({ has: request(halk) });
    await expect.poll(() => halkRow.innerText(), { timeout: 20_000 }).toContain('1 rakip teklif');
    expect(await samePage(halk)).toBe(true);
    await shoot(halk, shots, '03-bank-inbox');
    const inboxText = await pageText(halk);
    expect(inboxText).not.toContain('Garanti');
    expect(inboxText).not.toContain(GARANTI_OFFER.representative);
    await request(halk).click();
    await halk.getByRole('heading', { level: 1, name: FIRM }).waitFor();
    await fillNewOffer(halk, HALK_OFFER);
    await halk.getByRole('button', { name: 'Teklifi gönder' }).click();
    await halk.getByText('Teklifiniz gönderildi.').waitFor();

    // the board re-ranks: the cheaper offer goes first, and the page is the same page
    await waitForBoard(exporter, [HALK.name, GARANTI.name]);
    expect(await samePage(exporter)).toBe(true);
    // bank 0062 sees, live, that it dropped to second place
    await expect
      .poll(() => pageText(garanti), { timeout: 20_000 })
      .toContain('2. sırada / 2 teklif');
    await scrollToTop(exporter.getByRole('heading', { level: 1, name: /^Başvuru/ }), 28);
    await shoot(exporter, shots, '04-exporter-board-two-offers');

    // ---- bank 0062 revises below the other bank; the board follows (R12, R13) ---------------
    await garanti.getByRole('button', { name: 'Teklifi güncelle' }).click();
    await offerSection(garanti)
      .getByRole('heading', { name: /yeni sürüm 2/ })
      .waitFor();
    await offerSection(garanti).getByLabel('Yıllık faiz oranı').fill('36,25');
    await useComputedRepayment(garanti);
    await garanti.getByRole('button', { name: 'Güncel teklifi gönder' }).click();
    await garanti.getByText('Teklifiniz güncellendi (sürüm 2).').waitFor();

    await waitForBoard(exporter, [GARANTI.name, HALK.name]);
    expect(await samePage(exporter)).toBe(true);
    await expect.poll(() => pageText(exporter)).toContain('Güncellenmiş');
    await scrollToTop(exporter.getByRole('heading', { level: 1, name: /^Başvuru/ }), 28);
    await shoot(exporter, shots, '05-exporter-board-after-revise');
    // the other bank now ranks second, and still sees no one else's name or terms
    await expect.poll(() => pageText(halk), { timeout: 20_000 }).toContain('2. sırada / 2 teklif');
    const halkText = await pageText(halk);
    for (const secret of ['Garanti', GARANTI_OFFER.representative, GARANTI_OFFER.email, '36,25']) {
      expect(halkText).not.toContain(secret);
    }

    // ---- the clock passes the deadline: the board closes by itself (R8, R14) ----------------
    await running.advanceClock(durationPast(await running.clockNow(), closes));
    await exporter
      .getByRole('heading', { name: 'Teklif süresi doldu: bankanızı seçin' })
      .waitFor({ timeout: 20_000 });
    expect(await samePage(exporter)).toBe(true);
    const status = exporter.getByRole('region', { name: 'Teklif süresi doldu: bankanızı seçin' });
    const reference = /Teklif Referans Numarası:\s*([A-Z0-9][A-Z0-9-]{5,})/.exec(
      await status.innerText(),
    )?.[1];
    expect(reference, 'the reference number on the closed board').toBeDefined();
    await waitForBoard(exporter, [GARANTI.name, HALK.name]);
    await shoot(exporter, shots, '06-exporter-closed-board');

    // ---- the offer document: downloaded through the page's link, read with pdftotext --------
    const [download] = await Promise.all([
      exporter.waitForEvent('download'),
      status.getByRole('link', { name: 'PDF olarak indir' }).click(),
    ]);
    const pdf = join(scratch, 'teklif.pdf');
    await download.saveAs(pdf);
    const text = execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', pdf, '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain(reference!);
    for (const turkish of [
      FIRM,
      HALK.name,
      GARANTI_OFFER.representative,
      HALK_OFFER.representative,
    ]) {
      expect(text, `the document keeps "${turkish}" intact`).toContain(turkish);
    }
    expect(text.indexOf(GARANTI.name)).toBeLessThan(text.indexOf(HALK.name));

    // ---- the selection, confirmed in the dialog (R15) -----------------------------------------
    await exporter.getByRole('button', { name: /^Seç\s*:\s*Garanti BBVA$/ }).click();
    const dialog = exporter.getByRole('dialog', { name: 'Teklif seçimini onaylayın' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(GARANTI.name);
    await shoot(exporter, shots, '07-exporter-selection-dialog');
    await dialog.getByRole('button', { name: 'Seçimi onayla' }).click();
    const selected = exporter.getByRole('region', {
      name: 'Teklif seçildi: şimdi bankaya başvurun',
    });
    await selected.waitFor();
    await expect.poll(() => selected.innerText()).toContain(reference!);
    await expect.poll(() => selected.innerText()).toContain(GARANTI_OFFER.representative);
    await shoot(exporter, shots, '08-exporter-selected-reference');

    // ---- the chosen bank, on the page it had open, records the firm's application (R15) ------
    const record = garanti.getByRole('form', { name: 'Firmanın başvurusunu kaydet' });
    await record.waitFor({ timeout: 20_000 });
    await record.getByLabel('Teklif Referans Numarası').fill(reference!);
    await scrollToTop(offerSection(garanti));
    await shoot(garanti, shots, '09-bank-record-application');
    await record.getByRole('button', { name: 'Başvuruyu kaydet' }).click();
    await garanti.getByText('Firmanın başvurusu kaydedildi.').waitFor();

    // the exporter's page follows, still the same page
    await exporter
      .getByRole('heading', { name: 'Bankaya başvurdunuz' })
      .waitFor({ timeout: 20_000 });
    expect(await samePage(exporter)).toBe(true);

    // ---- the analyst replays it (the third context, after a log-out) ------------------------
    await halk.getByRole('button', { name: 'Çıkış yap' }).click();
    await halk.waitForURL(/\/login$/);
    await login(halk, 'analyst@demo.test', /\/analyst$/);
    await halk.goto(`/analyst/applications/${id}`);
    await halk.getByRole('heading', { level: 1, name: `Yeniden oynatma: ${FIRM}` }).waitFor();
    await expect.poll(() => pageText(halk), { timeout: 20_000 }).toContain(reference!);
    await shoot(halk, shots, '10-analyst-replay');

    await closeAll(exporter, garanti, halk);
  });
});

describe('isolation as the pages show it', () => {
  it("keeps one bank's name and terms from another, and one firm's application from another firm", async () => {
    const exporter = await open();
    const garanti = await open();
    const halk = await open();
    const exporter2 = await open();

    await login(exporter, 'exporter@demo.test', /\/exporter$/);
    const id = await apply(exporter, {
      amount: '750.000,00',
      maturityMonths: '12',
      purpose: 'Örme kumaş siparişi için sevk öncesi finansman',
    });

    // bank 0062 bids, with a representative whose name, e-mail and rate can be looked for
    await login(garanti, GARANTI.email, /\/bank$/);
    const garantiReceived = capture(garanti);
    await garanti.goto(`/bank/requests/${id}`);
    await garanti.getByRole('heading', { level: 1, name: FIRM }).waitFor();
    await fillNewOffer(garanti, GARANTI_OFFER);
    await garanti.getByRole('button', { name: 'Teklifi gönder' }).click();
    await garanti.getByText('Teklifiniz gönderildi.').waitFor();

    // bank 0012: everything its browser receives, not only what it shows
    const received = capture(halk);

    // what a person reads: the name, the representative, the e-mail, the rate as typed
    const shown = ['Garanti', GARANTI_OFFER.representative, GARANTI_OFFER.email, '41,375'];
    // what a browser receives (HTML with hydration data, JSON, push frames): the same, the bank's
    // code and the rate as a value; ids and ISO timestamps may hold any digits, so values only
    const sent = [
      /Garanti/,
      new RegExp(GARANTI_OFFER.representative),
      new RegExp(GARANTI_OFFER.email.replace(/\./g, '\\.')),
      /"0062"/,
      /"41\.375\d*"|[:[,]\s*41\.375\d*\s*[,\]}]/,
    ];
    const expectNotShown = (where: string, text: string) => {
      for (const secret of shown) {
        expect(text.includes(secret), `${where} shows "${secret}"`).toBe(false);
      }
    };
    const expectNotSent = (where: string, text: string) => {
      for (const secret of sent) {
        expect(secret.exec(text)?.[0], `${where} holds ${secret}`).toBeUndefined();
      }
    };

    await login(halk, HALK.email, /\/bank$/);
    const row = halk
      .getByRole('row')
      .filter({ has: halk.locator(`a[href="/bank/requests/${id}"]`) });
    await expect.poll(() => row.innerText()).toContain('1 rakip teklif');
    expectNotShown("bank 0012's inbox", await pageText(halk));
    expectNotSent("bank 0012's inbox (HTML)", await halk.content());

    await halk.locator(`a[href="/bank/requests/${id}"]`).click();
    await halk.getByRole('heading', { level: 1, name: FIRM }).waitFor();
    await expect.poll(() => pageText(halk)).toContain('1 rakip teklif');
    await halk.getByRole('heading', { name: 'Süreç geçmişi' }).waitFor();
    expectNotShown("bank 0012's request page", await pageText(halk));
    expectNotSent("bank 0012's request page (HTML)", await halk.content());
    // the capture works (the request came through it), and what it looks for is there to find in
    // what bank 0062 itself received
    expect(received.join('\n')).toContain(FIRM_VKN);
    for (const secret of sent) expect(garantiReceived.join('\n')).toMatch(secret);
    expectNotSent("what bank 0012's browser received", received.join('\n'));

    // the other firm's user cannot open the application, by its address
    await login(exporter2, 'exporter2@demo.test', /\/exporter$/);
    const exporter2Seen = capture(exporter2);
    await exporter2.goto(`/exporter/applications/${id}`);
    await exporter2.getByText('Başvuru bulunamadı').waitFor();
    expect(await pageText(exporter2)).toContain('Bu başvuru yok ya da görme yetkiniz yok.');
    await shoot(exporter2, shots, '11-other-firm-not-found');
    const foreign = [
      FIRM,
      '750.000,00',
      'Garanti',
      GARANTI_OFFER.representative,
      'Canlı teklif tablosu',
      'Teklif Referans Numarası',
    ];
    for (const text of [
      await pageText(exporter2),
      await exporter2.content(),
      exporter2Seen.join('\n'),
    ]) {
      for (const secret of foreign)
        expect(text.includes(secret), `exporter2 sees "${secret}"`).toBe(false);
    }
    await exporter2.goto(`/exporter/applications/${id}/decision`);
    await exporter2.getByRole('heading', { level: 1, name: 'Değerlendirme sonucu' }).waitFor();
    await exporter2.waitForLoadState('networkidle');
    expect(await pageText(exporter2)).toContain('Aranan kayıt bulunamadı.');
    for (const secret of foreign) {
      expect((await pageText(exporter2)).includes(secret), `exporter2 sees "${secret}"`).toBe(
        false,
      );
    }

    await closeAll(exporter, garanti, halk, exporter2);
  });
});
