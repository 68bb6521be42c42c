/**
 * Debian's Chromium driven by playwright-core for the end-to-end tests: launching it (never a downloaded
 * browser), screenshots under test-output/screenshots/, axe-core (WCAG 2 A/AA) on a page, and what a page
 * reported as broken (uncaught errors, CSP violations). In: a Page; out: files, violations, messages.
 * https://playwright.dev/docs/api/class-browsertype#browser-type-launch
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'test-output', 'screenshots');
const AXE_SOURCE = resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** The phone-sized viewport the pages must work at (design: 360 px). */
export const PHONE = { width: 360, height: 740 };

/** Chromium from apt (CHROMIUM_PATH overrides); fails with the install command when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install Debian's: apt-get install -y chromium (or set CHROMIUM_PATH). ` +
        'Never run `npx playwright install`: the browser download does not work here.',
    );
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context (its own cookies) with generous timeouts; no timing is asserted anywhere. */
export async function newContext(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  // Reduced motion: the chart draws at once (no animation mid-way through a screenshot), as the page honours it.
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: 'en-GB', reducedMotion: 'reduce' });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Full-page screenshot `<name>.png` (name made file-safe); returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** axe violations as lines a person can act on: rule, impact, help, and each offending element. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    ${n.target.map(String).join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
      return `[${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * axe-core's WCAG 2 A and AA rules on the page as it is now. axe.min.js goes in through page.evaluate, not
 * page.addScriptTag: addScriptTag inserts an inline <script>, which the pages' CSP (`default-src 'self'`) rightly
 * refuses (and reports as a CSP violation); evaluation through the DevTools protocol is not governed by CSP.
 * https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#api-name-axerun
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate<boolean>('typeof window.axe === "object" && typeof window.axe.run === "function"');
  if (!present) await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  return page.evaluate<AxeViolation[]>(
    'window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, resultTypes: ["violations"] }).then(r => r.violations)',
  );
}

/** Fails with every violation spelled out (and the page named) when axe finds any. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(`axe (wcag2a, wcag2aa) found ${violations.length} violation(s) on ${what} (${page.url()}):\n${formatViolations(violations)}`);
}

/**
 * Collects what a page reports as broken: uncaught exceptions, console errors (CSP violations among them) and
 * sub-resources (css, scripts) that failed. Documents with an error status are the tests' business, and so
 * is the browser's own /favicon.ico request.
 */
export function watchProblems(page: Page): { errors: string[]; cspViolations(): string[] } {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() >= 400 && !request.isNavigationRequest() && !/\/favicon\.ico$/.test(new URL(response.url()).pathname)) {
      errors.push(`${request.method()} ${response.url()}: ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    if (!request.isNavigationRequest()) errors.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  return { errors, cspViolations: () => errors.filter((e) => /Content Security Policy/i.test(e)) };
}

/** How far the page is wider than its viewport (0 = no sideways scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
