/*
 * What the browser tests share: the product started as `npm start` would start it (a fresh data
 * folder, a free port, CLOCK=manual), Debian's Chromium driven by playwright-core, logging in
 * through the login form, moving the product's manual clock, and screenshots in a folder that the
 * tests print.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const PDFTOTEXT = '/usr/bin/pdftotext';
export const DEMO_PASSWORD = 'demo-password-2026';

/** ARCHITECTURE.md, known traps: the flags Debian's Chromium needs on these machines. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails with what to do when a tool the browser tests need is missing (CI runs setup first). */
export function requireTools(): void {
  const missing = [
    existsSync(CHROMIUM) ? null : `Chromium (${CHROMIUM})`,
    existsSync(PDFTOTEXT) ? null : `pdftotext (${PDFTOTEXT}, poppler-utils)`,
  ].filter((tool): tool is string => tool !== null);
  if (missing.length > 0) {
    throw new Error(
      `The browser tests need ${missing.join(' and ')}, not installed here. ` +
        "Run `npm run setup` (it installs Debian's chromium and poppler-utils), then run the tests again.",
    );
  }
}

/** `npm start` serves web/build: build it when missing or older than its sources. */
export function buildWebIfStale(): void {
  execFileSync(process.execPath, ['scripts/build-web-if-stale.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
  });
  if (!existsSync(join(ROOT, 'web', 'build', 'handler.js'))) {
    throw new Error('web/build/handler.js is missing after the build');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

export interface Product {
  readonly baseUrl: string;
  readonly pid: number;
  /** POST /api/test/clock: the only use of the HTTP API in the browser tests */
  advanceClock(isoDuration: string): Promise<Date>;
  /** GET /api/test/clock */
  clockNow(): Promise<Date>;
  stop(): Promise<void>;
}

/**
 * Starts the product (`node --import tsx src/main.ts`, one process serving the API, Socket.IO and
 * the built UI) on a free loopback port with an empty data folder, so the demo data is seeded, and
 * with the manual clock. Waits until /api/health answers.
 */
export async function startProduct(): Promise<Product> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kefalet-e2e-data-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLOCK: 'manual',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the product exited with ${child.exitCode} before answering:\n${stderr}`);
    }
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the product did not answer /api/health within 90 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    pid: child.pid ?? -1,
    async advanceClock(isoDuration) {
      const response = await fetch(`${baseUrl}/api/test/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance: isoDuration }),
      });
      if (!response.ok)
        throw new Error(`advancing the clock: ${response.status} ${await response.text()}`);
      return new Date(((await response.json()) as { now: string }).now);
    },
    async clockNow() {
      const response = await fetch(`${baseUrl}/api/test/clock`);
      if (!response.ok) throw new Error(`reading the clock: ${response.status}`);
      return new Date(((await response.json()) as { now: string }).now);
    },
    stop,
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  timezoneId = 'Europe/Istanbul',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1366, height: 768 },
    locale: 'tr-TR',
    timezoneId,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Logs in through the login form and waits for the role's home page. */
export async function login(page: Page, email: string, home: RegExp): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-posta adresi').fill(email);
  await page.getByLabel('Parola').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Giriş yap', exact: true }).click();
  await page.waitForURL(home);
}

/** A folder for the screenshots: E2E_SCREENSHOTS when set, else a fresh one under the temp dir. */
export function screenshotFolder(): string {
  const wanted = process.env['E2E_SCREENSHOTS'];
  if (wanted) {
    mkdirSync(wanted, { recursive: true });
    return resolve(wanted);
  }
  return mkdtempSync(join(tmpdir(), 'kefalet-e2e-screenshots-'));
}

export async function shoot(page: Page, folder: string, name: string): Promise<string> {
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/** An ISO 8601 duration just past `to`, from `from` (the manual clock moves by durations). */
export function durationPast(from: Date, to: Date, marginSeconds = 60): string {
  const seconds = Math.ceil((to.getTime() - from.getTime()) / 1000) + marginSeconds;
  return `PT${Math.max(1, seconds)}S`;
}
