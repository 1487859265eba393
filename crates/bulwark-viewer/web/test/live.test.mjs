// `bulwark run --live`: the page served on 127.0.0.1 receives the run's events and tracks
// while the simulation is still running, and draws them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from './browser.mjs';

const BIN = process.env.BULWARK_BIN;

test('--live delivers events to the page while the run is going on', { skip: !BIN && 'set BULWARK_BIN', timeout: 120000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bulwark-live-'));
  const child = spawn(BIN, ['run', '--out', out, '--quiet', '--live', '--port', '0', '--speed', '40', '--linger', '30'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/live at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error('bulwark exited ' + c + ': ' + stderr)));
  });
  const origin = new URL(url).origin;
  const b = await open((u) => u.startsWith(origin + '/'));
  try {
    await b.page.goto(url);
    await b.page.waitForSelector('body[data-ready="1"]');
    // While running: events and track samples arrive, the clock follows, tracks are drawn.
    await b.page.waitForFunction(() => {
      const l = window.bulwark.live();
      return l.events > 20 && l.samples > 50 && window.bulwark.counts().tracks.total > 0;
    }, null, { timeout: 60000, polling: 200 });
    const mid = await b.page.evaluate(() => ({ live: window.bulwark.live(), t: window.bulwark.time() }));
    assert.equal(mid.live.live, true);
    assert.equal(mid.live.done, false, 'still running when the first tracks were drawn');
    assert.ok(mid.t > 0 && mid.t < 1200, `clock ${mid.t}`);
    const later = await b.page.waitForFunction((t0) => window.bulwark.time() > t0 + 20, mid.t, { timeout: 30000 });
    assert.ok(later);
    assert.deepEqual(b.log.errors, []);
    assert.deepEqual(b.log.blocked, []);
  } finally {
    await b.close();
    child.kill();
    rmSync(out, { recursive: true, force: true });
  }
});
