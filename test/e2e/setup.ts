/**
 * What every end-to-end test file starts with: Debian's Chromium and `gradus serve --auth`, started before the
 * file's tests and stopped after them, and fresh pages, each in its own browser context (its own cookies),
 * closed after each test. `useBrowserAndService` registers those jest hooks and returns the running pair.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { startAuthService, type AuthService } from '../support/auth-service';

export interface BrowserAndService {
  readonly browser: Browser;
  readonly service: AuthService;
  /** A page in a new context (the default viewport, or this one), closed after the test. */
  readonly freshPage: (viewport?: { width: number; height: number }) => Promise<Page>;
}

export function useBrowserAndService(): BrowserAndService {
  let browser: Browser | undefined;
  let service: AuthService | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(); // first, so afterAll closes it even when the service does not start
    service = await startAuthService();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  const started = <T>(what: T | undefined, name: string): T => {
    if (what === undefined) throw new Error(`the ${name} has not started: useBrowserAndService() starts it in beforeAll`);
    return what;
  };
  return {
    get browser() {
      return started(browser, 'browser');
    },
    get service() {
      return started(service, 'service');
    },
    freshPage: async (viewport) => {
      const context = await newContext(started(browser, 'browser'), viewport ? { viewport } : {});
      contexts.push(context);
      return context.newPage();
    },
  };
}
