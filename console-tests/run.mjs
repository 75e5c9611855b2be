// Browser tests of the GenPipe web console, driven by playwright-core against Debian's chromium.
//
//   node run.mjs <baseUrl> <screenshotDir> [scenario,scenario,...]
//
// Scenarios: keyboard, resume, xss, errors (the default set, "main"), breaker (needs a failing Gemini and the admin
// token in the environment variable GENPIPE_CONSOLE_ADMIN_TOKEN). Prints "PASS name" / "FAIL name: why" per
// scenario and exits 1 when any failed, 2 when the browser could not start. Run by ConsoleBrowserTest.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';

const [baseArg, shotsArg, scenarioArg = 'main'] = process.argv.slice(2);
if (!baseArg || !shotsArg) {
  console.error('usage: node run.mjs <baseUrl> <screenshotDir> [scenarios]');
  process.exit(2);
}
const BASE = baseArg.replace(/\/$/, '');
const SHOTS = shotsArg;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STANDIN = process.env.GENPIPE_CONSOLE_STANDIN;

/** Configures the Gemini stand-in (POST /standin/config): hold, allow, release, failures. */
async function standIn(config) {
  if (!STANDIN) throw new Error('GENPIPE_CONSOLE_STANDIN (the stand-in base URL) is not set');
  const response = await fetch(STANDIN + '/standin/config', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(config) });
  if (!response.ok) throw new Error(`stand-in config ${JSON.stringify(config)}: ${response.status} ${await response.text()}`);
}
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const unique = () => Math.random().toString(36).slice(2, 8);
mkdirSync(SHOTS, { recursive: true });

if (!existsSync(CHROMIUM)) {
  console.error(`FAIL setup: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}

class Failure extends Error {}
function check(condition, message) { if (!condition) throw new Failure(message); }

// Records, from inside the page, how the presentation's sections evolved (skeletons, partial fill).
const OBSERVER = () => {
  window.__seen = { maxPending: 0, partial: false, sectionsPlanned: 0 };
  const look = () => {
    const all = document.querySelectorAll('#output .section').length;
    const pending = document.querySelectorAll('#output .section[data-state="pending"]').length;
    const done = document.querySelectorAll('#output .section[data-state="done"]').length;
    window.__seen.maxPending = Math.max(window.__seen.maxPending, pending);
    window.__seen.sectionsPlanned = Math.max(window.__seen.sectionsPlanned, all);
    if (done > 0 && pending > 0) window.__seen.partial = true;
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
};

async function withPage(name, body, { viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'genpipe-console-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: ARGS, viewport, timeout: 30000,
    });
  } catch (error) {
    console.log(`FAIL ${name}: chromium did not start: ${error.message.split('\n')[0]}`);
    rmSync(profile, { recursive: true, force: true });
    process.exit(2);
  }
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  const problems = [];
  const dialogs = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.addInitScript(OBSERVER);
  const started = Date.now();
  try {
    await body(page, { dialogs, problems });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
    return true;
  } catch (error) {
    console.log(`FAIL ${name}: ${error instanceof Failure ? error.message : error.stack || error}`);
    if (problems.length) console.log(`  page problems: ${problems.join(' | ')}`);
    await page.screenshot({ path: join(SHOTS, `${name}-failure.png`), fullPage: true }).catch(() => {});
    return false;
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

async function tabTo(page, id, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id) === id) return;
  }
  throw new Failure(`#${id} cannot be reached with the Tab key`);
}

async function focusRing(page) {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  });
}

async function open(page) {
  await page.goto(BASE + '/', { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#topic');
  // the ops panel answered at least once: the page runs
  await page.waitForFunction(() => document.getElementById('health-status').textContent !== '…');
}

async function fillForm(page, { topic, type, sections, subtopic }) {
  await page.selectOption('#type', type);
  if (sections !== undefined) await page.fill('#sections', String(sections));
  if (subtopic !== undefined) await page.fill('#subtopic', subtopic);
  await page.fill('#topic', topic);
}

const scenarios = {
  async keyboard() {
    return withPage('keyboard-presentation', async (page, { dialogs }) => {
      await open(page);
      const topic = `Volcanoes ${unique()}`;
      await tabTo(page, 'topic');
      check(await focusRing(page), 'the focused topic field shows no visible focus ring');
      await page.keyboard.type(topic);
      await page.keyboard.press('Tab');
      check(await page.evaluate(() => document.activeElement.id) === 'type', 'Tab from the topic should reach the type');
      check(await page.inputValue('#type') === 'PRESENTATION', 'the default type should be PRESENTATION');
      await page.keyboard.press('Tab');
      check(await page.evaluate(() => document.activeElement.id) === 'sections', 'Tab should reach the sections');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('4');
      await page.keyboard.press('Enter');

      await page.waitForFunction(() => document.getElementById('job-id').textContent.length > 10, null, { timeout: 5000 });
      const jobId = await page.textContent('#job-id');
      check((await page.textContent('#status')).includes(jobId), 'the live region should name the job');
      check(new URL(page.url()).searchParams.get('job') === jobId, 'the job id should be in the address');

      await page.waitForSelector('.presentation.final', { timeout: 60000 });
      await page.waitForSelector('#job-status[data-status="SUCCEEDED"]');
      const seen = await page.evaluate(() => window.__seen);
      check(seen.maxPending === 4, `4 skeleton sections should show once planned (saw at most ${seen.maxPending})`);
      check(seen.partial, 'sections should fill in one by one (never saw some done while others were pending)');
      check(await page.locator('#output .section[data-state="done"]').count() === 4, 'all 4 sections should be done');
      check((await page.textContent('#job-progress')).trim() === '4 of 4 sections', 'progress should say 4 of 4');
      check(await page.locator('#output .section h4, #output .section h5, #output .section p').count() > 0,
          'section Markdown should be rendered as elements');
      check((await page.textContent('#recent-list')).includes(topic), 'the topic should be in the recent topics');
      check(await page.inputValue('#type') === 'PRESENTATION', 'preferences kept');
      check(dialogs.length === 0, `no dialog expected, got ${dialogs}`);
      await page.screenshot({ path: join(SHOTS, 'keyboard-presentation.png'), fullPage: true });

      // preferences survive a fresh visit; phone-sized layout has no horizontal scrolling
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(BASE + '/');
      await page.waitForSelector('#recent:not([hidden])');
      check(await page.inputValue('#sections') === '4', 'the sections preference should be remembered');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 1, `the phone layout scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
    });
  },

  async resume() {
    return withPage('reload-resume', async (page) => {
      const eventRequests = [];
      page.on('request', (r) => {
        if (r.url().includes('/events')) eventRequests.push({ at: Date.now(), lastEventId: r.headers()['last-event-id'] });
      });
      await open(page);
      // the stand-in answers the subtopics and two sections, and holds the rest: the reload is mid-job for sure
      await standIn({ hold: true, allow: 3 });
      try {
        await fillForm(page, { topic: `Glaciers ${unique()}`, type: 'PRESENTATION', sections: 6 });
        await page.click('#submit');
        await page.waitForSelector('#output .section[data-state="done"]', { timeout: 60000 });
      } catch (e) {
        await standIn({ hold: false });
        throw e;
      }
      const jobId = await page.textContent('#job-id');
      const doneBefore = await page.locator('#output .section[data-state="done"]').count();
      check(doneBefore >= 1 && doneBefore <= 2, `1 or 2 sections should be done before the reload, not ${doneBefore}`);
      const reloadAt = Date.now();
      await page.reload({ waitUntil: 'domcontentloaded' });
      check(new URL(page.url()).searchParams.get('job') === jobId, 'the reloaded address should keep ?job=');
      await page.waitForFunction((n) => document.querySelectorAll('#output .section[data-state="done"]').length === n,
          doneBefore, { timeout: 30000 });
      await standIn({ hold: false });
      await page.waitForSelector('.presentation.final', { timeout: 60000 });
      const after = eventRequests.filter((r) => r.at >= reloadAt);
      check(after.length >= 1, 'no event stream request after the reload');
      check(after[0].lastEventId && Number(after[0].lastEventId) > 0,
          `the stream after the reload should resume with Last-Event-ID (sent: ${after[0].lastEventId})`);
      check(await page.locator('#output .section[data-state="done"]').count() === 6, 'all 6 sections should be done');
      check((await page.textContent('#job-progress')).trim() === '6 of 6 sections', 'progress should say 6 of 6');
      check((await page.textContent('#job-id')) === jobId, 'the same job should be shown');
      await page.screenshot({ path: join(SHOTS, 'reload-resume.png'), fullPage: true });
    });
  },

  async xss() {
    return withPage('script-as-text', async (page, { dialogs }) => {
      await open(page);
      const reply = '<script>window.__xss=1;alert(1)</script><img src=x onerror=window.__xss=2> **bold** `code`';
      const directive = `[[standin:reply=${Buffer.from(reply).toString('base64url')}]]`;
      await fillForm(page, { topic: `Escaping ${unique()} ${directive}`, type: 'EXPLANATION', subtopic: 'Output' });
      await page.click('#submit');
      await page.waitForSelector('.explanation.final', { timeout: 60000 });
      const shown = await page.textContent('.explanation.final');
      check(shown.includes('<script>window.__xss=1;alert(1)</script>'), `the script tag should show as text, shown: ${shown}`);
      check(shown.includes('<img src=x onerror=window.__xss=2>'), 'the img tag should show as text');
      check(await page.locator('#output script, #output img, #output [onerror]').count() === 0,
          'model output must not create script or img elements');
      check(await page.locator('.explanation.final strong').textContent() === 'bold', 'Markdown bold should render');
      check(await page.locator('.explanation.final code').textContent() === 'code', 'inline code should render');
      check(await page.evaluate(() => window.__xss) === undefined, 'the marker global was set: model output ran');
      check(dialogs.length === 0, `a dialog fired: ${dialogs}`);
      await page.screenshot({ path: join(SHOTS, 'script-as-text.png'), fullPage: true });
    });
  },

  async errors() {
    return withPage('error-messages', async (page) => {
      await open(page);
      const error = () => page.textContent('#error');
      // server-side validation: the problem detail is shown
      await fillForm(page, { topic: `Rivers ${unique()}`, type: 'PRESENTATION', sections: 13 });
      await page.click('#submit');
      await page.waitForSelector('#error:not([hidden])');
      check((await error()).includes('(400)'), `a 400 should be explained, shown: ${await error()}`);
      // empty topic: said on the page, nothing sent
      await page.fill('#topic', '');
      await page.click('#submit');
      await page.waitForFunction(() => document.getElementById('error').textContent.includes('Enter a topic'));
      // 401, 429 with Retry-After, unreachable API (answers faked in the browser)
      await page.fill('#topic', 'Lakes');
      await page.fill('#sections', '3');
      const problem = (status, detail, headers = {}) => (route) => route.fulfill({
        status, headers: { 'Content-Type': 'application/problem+json', ...headers },
        body: JSON.stringify({ type: 'about:blank', title: 'x', status, detail }),
      });
      await page.route('**/api/jobs', problem(401, 'a valid API key is required'));
      await page.click('#submit');
      await page.waitForFunction(() => document.getElementById('error').textContent.includes('Not authorised (401)'));
      check((await error()).includes('a valid API key is required'), '401 detail should be shown');
      await page.unroute('**/api/jobs');
      await page.route('**/api/jobs', problem(429, 'too many submits', { 'Retry-After': '7' }));
      await page.click('#submit');
      await page.waitForFunction(() => document.getElementById('error').textContent.includes('Retry after 7 s'));
      await page.unroute('**/api/jobs');
      await page.route('**/api/jobs', (route) => route.abort('connectionrefused'));
      await page.click('#submit');
      await page.waitForFunction(() => document.getElementById('error').textContent.includes('unreachable'));
      await page.unroute('**/api/jobs');
      // an unknown job in the address: a clear message, not a blank page
      await page.goto(BASE + '/?job=00000000-0000-4000-8000-000000000000');
      await page.waitForFunction(() => document.getElementById('error').textContent.includes('Not found (404)'));
      await page.screenshot({ path: join(SHOTS, 'error-messages.png'), fullPage: true });
    });
  },

  async myjobs() {
    return withPage('my-recent-jobs', async (page) => {
      await open(page);
      const ids = [];
      for (const name of ['first', 'second']) {
        await fillForm(page, { topic: `Tea ${name} ${unique()}`, type: 'SUBTOPICS' });
        await page.click('#submit');
        await page.waitForFunction((known) => {
          const id = document.getElementById('job-id').textContent;
          return id && !known.includes(id) && document.getElementById('job-status').dataset.status === 'SUCCEEDED';
        }, ids, { timeout: 60000 });
        ids.push(await page.textContent('#job-id'));
      }
      // both are listed, newest first; opening the older one shows it again, finished
      await page.waitForSelector(`#my-jobs-list button[data-job-id="${ids[0]}"]`, { timeout: 15000 });
      const listed = await page.$$eval('#my-jobs-list button', (buttons) => buttons.map((b) => b.dataset.jobId));
      check(listed.indexOf(ids[1]) >= 0 && listed.indexOf(ids[1]) < listed.indexOf(ids[0]),
          `the newer job should be listed before the older one: ${listed}`);
      await page.click(`#my-jobs-list button[data-job-id="${ids[0]}"]`);
      await page.waitForFunction((id) => document.getElementById('job-id').textContent === id
          && document.getElementById('job-status').dataset.status === 'SUCCEEDED', ids[0], { timeout: 30000 });
      await page.screenshot({ path: join(SHOTS, 'my-recent-jobs.png'), fullPage: true });
    });
  },

  async eventsource() {
    // the browser's own EventSource on a finished job: it gets the events, the server ends the stream, the browser
    // reconnects once with Last-Event-ID, gets 204 and stops for good (before: a reconnect every ~3 s, forever)
    return withPage('eventsource-stops', async (page) => {
      await open(page);
      const requests = [];
      page.on('request', (r) => {
        if (!r.url().includes('/events')) return;
        const at = requests.push('?') - 1;
        r.allHeaders().then((h) => { requests[at] = h['last-event-id'] || ''; });
      });
      const id = await page.evaluate(async () => {
        const r = await fetch('/api/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'wait=20' },
          body: JSON.stringify({ type: 'SUBTOPICS', input: { topic: 'EventSource ' + Math.random() } }) });
        return (await r.json()).jobId;
      });
      check(id, 'the job was not accepted');
      await page.evaluate((jobId) => {
        window.__events = [];
        window.__source = new EventSource('/api/jobs/' + jobId + '/events');
        for (const kind of ['queued', 'started', 'succeeded']) {
          window.__source.addEventListener(kind, (e) => window.__events.push(kind + ':' + e.lastEventId));
        }
      }, id);
      await page.waitForFunction(() => window.__source.readyState === 2, null, { timeout: 20000 });
      const events = await page.evaluate(() => window.__events);
      check(events.includes('succeeded:3') || events.includes('succeeded:2'), `the events should end with succeeded: ${events}`);
      const seen = requests.length;
      await page.waitForTimeout(4000); // longer than the 3 s reconnection delay: no further request may come
      check(requests.length === seen && seen === 2, `EventSource should connect twice and stop (204): ${JSON.stringify(requests)}`);
      check(requests[1] !== '', `the reconnection should carry Last-Event-ID: ${JSON.stringify(requests)}`);
    });
  },

  async cors() {
    // a frontend on another origin (its own port): it submits a job to the API and follows it with EventSource
    const port = Number(process.env.GENPIPE_CONSOLE_CORS_PORT);
    check(port > 0, 'GENPIPE_CONSOLE_CORS_PORT is not set');
    const page = `<!doctype html><meta charset="utf-8"><title>frontend</title><pre id="out"></pre><script>
      const out = document.getElementById('out');
      (async () => {
        try {
          const r = await fetch(${JSON.stringify(BASE)} + '/api/jobs', { method: 'POST',
            headers: { 'Content-Type': 'application/json' }, // not a simple request: a real preflight
            body: JSON.stringify({ type: 'SUBTOPICS', input: { topic: 'Cross origin ${unique()}' } }) });
          const job = await r.json();
          out.dataset.location = r.headers.get('Location') || '';
          const events = new EventSource(${JSON.stringify(BASE)} + '/api/jobs/' + job.jobId + '/events');
          events.addEventListener('succeeded', () => { out.dataset.state = 'succeeded'; events.close(); });
          events.onerror = () => { if (!out.dataset.state) out.dataset.state = 'stream-error'; };
        } catch (e) { out.dataset.state = 'error: ' + e.message; }
      })();</script>`;
    const server = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page); });
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      return await withPage('cross-origin', async (p) => {
        await p.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'domcontentloaded' });
        await p.waitForFunction(() => document.getElementById('out').dataset.state, null, { timeout: 60000 });
        const state = await p.evaluate(() => document.getElementById('out').dataset.state);
        check(state === 'succeeded', `the cross-origin page should see the job succeed, saw: ${state}`);
        const location = await p.evaluate(() => document.getElementById('out').dataset.location);
        check(location.startsWith('/api/jobs/'), `the Location header should be readable cross-origin, got: ${location}`);
      });
    } finally {
      server.close();
    }
  },

  async breaker() {
    return withPage('breaker-open', async (page) => {
      const token = process.env.GENPIPE_CONSOLE_ADMIN_TOKEN;
      check(token, 'GENPIPE_CONSOLE_ADMIN_TOKEN is not set');
      await open(page);
      await page.click('#admin summary');
      await page.fill('#admin-token', token);
      await page.press('#admin-token', 'Tab'); // change event: stored for this tab, state fetched
      check(!JSON.stringify(await page.evaluate(() => ({ ...localStorage }))).includes(token),
          'the admin token must not be kept in localStorage');
      await page.waitForSelector('#pool-state');
      await fillForm(page, { topic: `Outage ${unique()}`, type: 'SUBTOPICS', sections: 3 });
      await page.click('#submit');
      await page.waitForSelector('#pool-state[data-state="open"]', { timeout: 40000 });
      await page.waitForSelector('#admin-state td.worker-state[data-state="open"]');
      await page.waitForSelector('#health-breaker[data-state="open"]', { timeout: 15000 });
      check((await page.textContent('#health-gemini')).includes('offline-stand-in'), 'gemini mode should show');
      check((await page.textContent('#health-cache')).includes('redis'), 'cache type should show');
      await page.screenshot({ path: join(SHOTS, 'breaker-open.png'), fullPage: true });
      // Gemini is back; the breaker would stay open for its 10-minute recovery time: the reset closes it now
      await standIn({ failure: null });
      await page.click('#reset-breaker');
      await page.waitForFunction(() => /RESET_CIRCUIT_BREAKER sent to 1 worker/.test(
          document.getElementById('admin-result').textContent));
      await page.waitForSelector('#pool-state[data-state="closed"]', { timeout: 30000 });
      await page.waitForSelector('#admin-state td.worker-state[data-state="closed"]', { timeout: 30000 });
      await page.click('#clear-cache');
      await page.waitForFunction(() => /CLEAR_CACHE sent to 1 worker/.test(
          document.getElementById('admin-result').textContent));
      await page.screenshot({ path: join(SHOTS, 'breaker-reset.png'), fullPage: true });
    });
  },
};

const selected = scenarioArg === 'main' ? ['keyboard', 'resume', 'xss', 'errors', 'myjobs', 'eventsource', 'cors'] : scenarioArg.split(',');
let failed = 0;
for (const name of selected) {
  if (!scenarios[name]) { console.log(`FAIL ${name}: unknown scenario`); failed++; continue; }
  if (!(await scenarios[name]())) failed++;
}
console.log(failed ? `${failed} of ${selected.length} console scenarios FAILED` : `ALL ${selected.length} console scenarios passed`);
process.exit(failed ? 1 : 0);
