// Headless Debian Chromium driven by playwright-core (which downloads no browser of its own).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A fresh copy of tests/browser/site with the built package beside it, in target/<name>; returns its path. */
export function stageSite(name) {
  const site = `${root}target/${name}`;
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(`${root}tests/browser/site`, site, { recursive: true });
  cpSync(`${root}pkg`, `${site}/pkg`, { recursive: true });
  return site;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium with the flags that keep it off the network on these machines (`options`: more of playwright's). */
export function launchChromium(options = {}) {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
    ],
  });
}

/** A page that fails the test on any uncaught error or console error. */
export async function strictPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.problems = problems;
  return page;
}
