/*
 * Steps of the story as a user takes them, through the pages only: apply through the form, bid and
 * revise through the bank's offer form, read the exporter's offer board.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const FIRM = 'Anadolu Tekstil İhracat A.Ş.';
export const FIRM_VKN = '0150015264';
export const GARANTI = { code: '0062', name: 'Garanti BBVA', email: 'bank.0062@demo.test' };
export const HALK = { code: '0012', name: 'Türkiye Halk Bankası', email: 'bank.0012@demo.test' };

const BANK_NAMES = [GARANTI.name, HALK.name];

export interface Application {
  readonly amount: string;
  readonly maturityMonths: string;
  readonly purpose: string;
}

/**
 * Fills the application form at /exporter/apply and sends it; returns the application id once the
 * decision page shows.
 */
export async function apply(page: Page, application: Application): Promise<string> {
  await page.goto('/exporter/apply');
  await page.getByRole('heading', { level: 1, name: 'Kefalet başvurusu' }).waitFor();
  const firm = page.getByLabel('Firma', { exact: false }).first();
  await expect.poll(() => firm.inputValue()).toBe(FIRM_VKN);
  await page.getByLabel('Kefalet paketi').selectOption({ label: 'KOBİ İhracat Kefalet Paketi' });
  await page.getByLabel('Kredi tutarı').fill(application.amount);
  await page.getByLabel('Para birimi').selectOption('TRY');
  await page.getByLabel('Vade (ay)').fill(application.maturityMonths);
  await page.getByLabel('Kredinin kullanım amacı').fill(application.purpose);
  await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
  await page.waitForURL(/\/exporter\/applications\/[0-9a-f-]{36}\/decision$/, { timeout: 30_000 });
  await page.getByRole('heading', { name: 'Başvurunuz kefalete uygun bulundu' }).waitFor();
  const id = /applications\/([0-9a-f-]{36})\/decision/.exec(page.url())?.[1];
  if (!id) throw new Error(`no application id in ${page.url()}`);
  return id;
}

export interface OfferInput {
  /** as a bank officer types it: "41,375" */
  readonly rate: string;
  readonly representative: string;
  readonly phone: string;
  readonly email: string;
}

/** The bank's offer section: "Teklif ver", or "Teklifi güncelle (yeni sürüm n)" while revising. */
export function offerSection(page: Page): Locator {
  return page.getByRole('region', {
    name: /^(Teklif ver|Teklifi güncelle \(yeni sürüm \d+\)|Teklifiniz)$/,
  });
}

/** The live cost preview beside the offer form. */
export function offerPreview(page: Page): Locator {
  return page.getByRole('region', { name: 'Canlı maliyet önizlemesi' });
}

/**
 * Fills every field of a new offer (the 17 of R11: the offer date is the server's, the branch code
 * comes filled from the officer's branch) and lets the live preview write the total repayment.
 */
export async function fillNewOffer(page: Page, offer: OfferInput): Promise<void> {
  const form = offerSection(page);
  await form.getByLabel('Kredi türü').selectOption({ label: 'Spot kredi' });
  expect(await form.getByLabel('Teklif vadesi (ay)').inputValue()).toBe('12');
  await form.getByLabel('Anapara ödemesiz dönem (ay)').fill('0');
  await form.getByLabel('Faiz ödemesiz dönem (ay)').fill('0');
  await form.getByLabel('Anapara ödeme sıklığı').selectOption({ label: 'Aylık' });
  await form.getByLabel('Faiz ödeme sıklığı').selectOption({ label: 'Aylık' });
  await form.getByLabel('Teminat türü').selectOption({ label: 'Şahsi kefalet' });
  await form.getByLabel('Faiz türü').selectOption({ label: 'Sabit' });
  await form.getByLabel('Yıllık faiz oranı').fill(offer.rate);
  await form.getByLabel('Toplam masraf tutarı').fill('2.500,00');
  await form.getByLabel('Toplam komisyon tutarı').fill('5.000,00');
  // a round guess first: the preview computes the schedule and offers its own figure
  await form.getByLabel('Toplam geri ödeme tutarı').fill('1.200.000,00');
  await useComputedRepayment(page);
  expect(await form.getByLabel('Banka şube kodu').inputValue()).toMatch(/^\d{4,5}$/);
  await form.getByLabel('Müşteri temsilcisi').fill(offer.representative);
  await form.getByLabel('Telefon').fill(offer.phone);
  await form.getByLabel('E-posta adresi').fill(offer.email);
}

/** Clicks "Hesaplanan tutarı yaz" in the preview and waits until it says the amounts agree. */
export async function useComputedRepayment(page: Page): Promise<void> {
  const preview = offerPreview(page);
  await preview.getByText('Efektif yıllık maliyet').waitFor();
  await preview.getByRole('button', { name: 'Hesaplanan tutarı yaz' }).click();
  await preview.getByText('Yazdığınız toplam geri ödeme hesaplanan tutarla aynı.').waitFor();
}

/** The exporter's offer board, top to bottom, as bank names. */
export async function boardBanks(page: Page): Promise<string[]> {
  const rows = page
    .getByRole('tabpanel', { name: /Teklifler/ })
    .getByRole('list')
    .first()
    .getByRole('listitem');
  const texts = await rows.allTextContents();
  return texts.map((text) => BANK_NAMES.find((name) => text.includes(name)) ?? `? ${text.trim()}`);
}

/** Waits until the board lists exactly these banks in this order. */
export async function waitForBoard(page: Page, banks: readonly string[]): Promise<void> {
  await expect.poll(() => boardBanks(page), { timeout: 20_000, interval: 200 }).toEqual(banks);
}

/** The whole visible text of the page (what a person on it could read). */
export function pageText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** Scrolls so that the element's top is `margin` pixels below the viewport's top, for a screenshot. */
export async function scrollToTop(locator: Locator, margin = 0): Promise<void> {
  await locator.evaluate((element, by) => {
    element.scrollIntoView({ block: 'start' });
    element.ownerDocument.defaultView?.scrollBy(0, -by);
  }, margin);
}
