// Shared set-up of the browser tests: Debian's Chromium, headless, fresh profile, no network.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.BULWARK_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Opens a browser context; `allow(url)` says which requests may go through (others are aborted and recorded). */
export async function open(allow, viewport = { width: 1600, height: 1000 }) {
  const profile = mkdtempSync(join(tmpdir(), 'bulwark-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, deviceScaleFactor: 1,
  });
  const log = { errors: [], blocked: [], requests: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allow(url)) return route.continue();
    log.blocked.push(url);
    return route.abort();
  });
  context.on('request', (r) => { if (!allow(r.url()) && !r.url().startsWith('data:')) log.requests.push(r.url()); });
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  const close = async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); };
  return { context, page, log, close };
}

/** Number of distinct colours (quantised to 4 bits a channel) in a PNG screenshot, counted by the browser. */
export async function colourVariety(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
    return seen.size;
  }, png.toString('base64'));
}
