// Debian's Chromium, headless, driven by playwright-core. Never downloads a browser.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// closed network refuses. playwright's launch() gives every browser a fresh, empty
// --user-data-dir in the temp folder and removes it on close.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

// Headless, playwright hides scrollbars (--hide-scrollbars); `scrollbars: true` draws them as
// a desktop browser does, for the tests that look for one.
export async function launch({ scrollbars = false } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run bash scripts/setup-browser (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    ...(scrollbars ? { ignoreDefaultArgs: ['--hide-scrollbars'] } : {}),
  });
}
