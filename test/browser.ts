// Headless Chromium for the tests that open pages (test/plot/browser.test.ts, test/report/report.test.ts): the
// system's Chromium, launched one way, and pages kept offline.
import * as fs from "fs";
import { type Browser, type Page, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium, or undefined when it is not installed (the page tests then skip). */
export async function launchChromium(): Promise<Browser | undefined> {
  if (!fs.existsSync(CHROMIUM)) return undefined;
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Keeps `page` offline: every request whose URL scheme is not one of `schemes` (e.g. ["file", "data"]) is
 * aborted and listed in `blocked`; uncaught page errors are listed in `errors`. A test expects both empty.
 */
export async function offlinePage(page: Page, schemes: readonly string[]): Promise<{ blocked: string[]; errors: string[] }> {
  const allowed = new RegExp(`^(${schemes.join("|")}):`);
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (allowed.test(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { blocked, errors };
}
