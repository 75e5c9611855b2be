// GenPipe web console: submit jobs, follow them live over SSE (fetch + streaming reader, so the X-API-Key header can
// be sent), resume after a reload with Last-Event-ID, and watch the operations endpoints.
// Model output is untrusted: it is only ever rendered through renderMarkdown (text nodes) or textContent.
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);
const KEY_STORE = 'genpipe.apiKey';
const RECENT_STORE = 'genpipe.recentTopics';
const PREFS_STORE = 'genpipe.prefs';
const ADMIN_STORE = 'genpipe.adminToken';
const JOB_STORE = (id) => 'genpipe.job.' + id; // sessionStorage: the folded job state + last event id
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const OPS_INTERVAL_MS = 3000;

// ---------------------------------------------------------------- storage helpers (storage may be unavailable)
const store = {
  get(area, key, fallback) {
    try { const v = area.getItem(key); return v === null ? fallback : JSON.parse(v); } catch { return fallback; }
  },
  set(area, key, value) { try { area.setItem(key, JSON.stringify(value)); } catch { /* private mode, quota */ } },
  remove(area, key) { try { area.removeItem(key); } catch { /* ignore */ } },
};

// ---------------------------------------------------------------- status and errors
function announce(text) { $('status').textContent = text; }

function showError(text) {
  const box = $('error');
  box.textContent = text;
  box.hidden = !text;
}

/** A readable message for a non-2xx response: the problem+json detail, plus what to do about it. */
async function problemMessage(response, what) {
  let detail = '';
  try {
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      const body = await response.json();
      detail = body.detail || body.title || '';
    } else {
      detail = (await response.text()).slice(0, 300);
    }
  } catch { /* no body */ }
  const status = response.status;
  const suffix = detail ? `: ${detail}` : '';
  switch (status) {
    case 400: case 422: return `${what} was refused (${status})${suffix}`;
    case 401: return `Not authorised (401)${suffix}. Enter a valid API key under "API key".`;
    case 403: return `Forbidden (403)${suffix}`;
    case 404: return `Not found (404)${suffix}. The job may have expired, or it belongs to another API key.`;
    case 413: return `The request is too large (413)${suffix}`;
    case 429: {
      const retry = response.headers.get('Retry-After');
      return `Too many requests (429)${suffix}.` + (retry ? ` Retry after ${retry} s.` : ' Try again later.');
    }
    case 503: return `The service is unavailable (503)${suffix}. Try again shortly.`;
    default: return `${what} failed (${status})${suffix}`;
  }
}

function unreachable(error) {
  return `The API is unreachable (${location.origin}): ${error && error.message ? error.message : error}. ` +
      'Check that GenPipe is running; the console keeps retrying.';
}

window.addEventListener('error', (e) => showError(`Unexpected error in the console: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => showError(`Unexpected error in the console: ${e.reason}`));

// ---------------------------------------------------------------- preferences and recent topics
function apiHeaders(extra = {}) {
  const headers = { ...extra };
  const key = $('api-key').value.trim();
  if (key) headers['X-API-Key'] = key;
  return headers;
}

function loadPreferences() {
  const prefs = store.get(localStorage, PREFS_STORE, {});
  if (prefs.type) $('type').value = prefs.type;
  if (prefs.sections) $('sections').value = prefs.sections;
  if (prefs.level !== undefined) $('level').value = prefs.level;
  $('api-key').value = store.get(localStorage, KEY_STORE, '');
  $('admin-token').value = store.get(sessionStorage, ADMIN_STORE, '');
  renderRecent();
  adaptForm();
}

function savePreferences() {
  store.set(localStorage, PREFS_STORE, { type: $('type').value, sections: $('sections').value, level: $('level').value });
}

function rememberTopic(topic) {
  const recent = store.get(localStorage, RECENT_STORE, []).filter((t) => t !== topic);
  recent.unshift(topic);
  store.set(localStorage, RECENT_STORE, recent.slice(0, 8));
  renderRecent();
}

function renderRecent() {
  const recent = store.get(localStorage, RECENT_STORE, []);
  const list = $('recent-list');
  const options = $('recent-topic-options');
  list.replaceChildren();
  options.replaceChildren();
  for (const topic of recent) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = topic;
    button.setAttribute('aria-label', `Use recent topic ${topic}`);
    button.addEventListener('click', () => { $('topic').value = topic; $('topic').focus(); });
    li.append(button);
    list.append(li);
    const option = document.createElement('option');
    option.value = topic;
    options.append(option);
  }
  $('recent').hidden = recent.length === 0;
}

/** The client's own recent jobs (GET /api/jobs): open one to see its result or follow it live. */
async function refreshMyJobs() {
  let page;
  try {
    const response = await fetch('/api/jobs?limit=10', { headers: apiHeaders({ Accept: 'application/json' }),
      cache: 'no-store' });
    if (!response.ok) { $('my-jobs').hidden = true; return; }
    page = await response.json();
  } catch {
    return; // the ops panel says when the API is unreachable
  }
  const list = $('my-jobs-list');
  list.replaceChildren();
  for (const item of page.jobs || []) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.dataset.jobId = item.jobId;
    button.dataset.status = item.status;
    const topic = item.input && item.input.topic ? item.input.topic : item.jobId;
    button.textContent = `${topic} — ${String(item.type || '').toLowerCase()}, ${String(item.status).toLowerCase()}`;
    button.setAttribute('aria-label', `Open job ${topic} (${item.status})`);
    button.addEventListener('click', () => {
      if (follower) follower.abort();
      job = null;
      $('output').replaceChildren();
      showJob(item.jobId, item.type);
    });
    li.append(button);
    list.append(li);
  }
  $('my-jobs').hidden = !(page.jobs || []).length;
}

function adaptForm() {
  const type = $('type').value;
  $('subtopic-field').hidden = type !== 'EXPLANATION';
  $('sections-field').hidden = type === 'EXPLANATION';
  $('sections-label').textContent = type === 'SUBTOPICS' ? 'Count' : 'Sections';
  $('level-field').hidden = type === 'SUBTOPICS';
}

function requestBody() {
  const type = $('type').value;
  const input = { topic: $('topic').value.trim() };
  const number = $('sections').value.trim();
  const level = $('level').value;
  if (type === 'PRESENTATION') {
    if (number) input.sections = Number(number);
    if (level) input.level = level;
  } else if (type === 'SUBTOPICS') {
    if (number) input.count = Number(number);
  } else {
    input.subtopic = $('subtopic').value.trim() || input.topic;
    if (level) input.level = level;
  }
  return { type, input };
}

// ---------------------------------------------------------------- the job being shown
let job = null;         // {id, type, status, subtopics, total, completed, sections: {index: section}, text, result, error, lastEventId}
let follower = null;    // AbortController of the current SSE stream
let renderQueued = false;

function newJob(id, type) {
  return { id, type: type || null, status: 'QUEUED', subtopics: null, total: 0, completed: 0, sections: {},
    text: '', result: null, error: null, lastEventId: null, done: false };
}

function persist() { if (job) store.set(sessionStorage, JOB_STORE(job.id), job); }

/** Folds one SSE event into the job state. */
function apply(kind, data) {
  if (data.status) job.status = data.status;
  switch (kind) {
    case 'queued': if (data.type) job.type = data.type; break;
    case 'started': job.text = ''; break; // deltas count after the latest start
    case 'requeued': job.note = data.reason ? `retrying: ${data.reason}` : 'retrying'; break;
    case 'planned':
      job.subtopics = data.subtopics || [];
      job.total = job.subtopics.length;
      job.type = job.type || 'PRESENTATION';
      break;
    case 'section':
      if (data.section) job.sections[data.section.index] = data.section;
      job.completed = data.completed;
      job.total = data.total;
      break;
    case 'delta': job.text += data.text || ''; break;
    case 'succeeded': job.result = data.result; job.cached = data.cached; job.done = true; break;
    case 'failed': job.error = { code: data.code, reason: data.reason }; job.done = true; break;
    case 'cancelled': job.error = { code: 'cancelled', reason: data.reason }; job.done = true; break;
    default: break; // unknown kinds are ignored (forward compatible)
  }
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

function render() {
  if (!job) return;
  $('job-meta').hidden = false;
  $('job-id').textContent = job.id;
  $('job-status').textContent = job.status + (job.cached ? ' (from cache)' : '') + (job.note && !job.done ? ` — ${job.note}` : '');
  $('job-status').dataset.status = job.status;
  $('job-progress').textContent = job.total ? `${job.completed} of ${job.total} sections` : (job.done ? 'done' : '—');
  $('cancel').hidden = job.done;
  $('job-webhook-label').hidden = $('job-webhook').hidden = !job.webhook;
  $('job-webhook').textContent = job.webhook ? webhookLine(job.webhook) : '';
  if (job.error) {
    showError(job.status === 'CANCELLED' ? `The job was cancelled${job.error.reason ? ': ' + job.error.reason : ''}.`
        : `The job failed (${job.error.code || 'error'}): ${job.error.reason || 'no reason given'}`);
  }
  const output = $('output');
  output.replaceChildren(renderOutput());
}

/** One line on a finished job's webhook: its state, attempts, and the receiver's last answer. */
function webhookLine(webhook) {
  const state = { DELIVERED: 'delivered', RETRYING: 'retrying', GIVEN_UP: 'given up' }[webhook.state] || webhook.state;
  const last = webhook.lastStatus ? `HTTP ${webhook.lastStatus}` : (webhook.lastError || '');
  return `${state} after ${webhook.attempts} attempt${webhook.attempts === 1 ? '' : 's'}${last ? ` (last: ${last})` : ''}`;
}

/**
 * A finished job's webhook state is no SSE event (the stream ends with the job): read it from the job itself, again
 * while it is still being retried, and a few times in case it has not been reported yet (most jobs have no webhook).
 */
async function watchWebhook(current, tries = 3) {
  while (job === current && tries > 0) {
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(current.id)}`,
          { headers: apiHeaders({ Accept: 'application/json' }), cache: 'no-store' });
      if (!response.ok) return;
      const view = await response.json();
      if (view.webhook) {
        current.webhook = view.webhook;
        persist();
        render();
        if (view.webhook.state !== 'RETRYING') return;
      } else {
        tries--;
      }
    } catch {
      return;
    }
    await sleep(3000);
  }
}

function renderOutput() {
  const fragment = document.createDocumentFragment();
  const result = job.result;
  if (result && result.kind === 'subtopics') {
    const ul = document.createElement('ul');
    ul.className = 'subtopics';
    for (const s of result.subtopics || []) {
      const li = document.createElement('li');
      li.textContent = s;
      ul.append(li);
    }
    fragment.append(ul);
    return fragment;
  }
  if (result && result.kind === 'explanation') {
    const article = document.createElement('article');
    article.className = 'explanation final';
    article.append(renderMarkdown(result.markdown));
    fragment.append(article);
    return fragment;
  }
  if (job.subtopics || (result && result.kind === 'presentation')) {
    const sections = result && result.kind === 'presentation' ? result.sections : null;
    const titles = job.subtopics || sections.map((s) => s.subtopic);
    const article = document.createElement('article');
    article.className = 'presentation' + (result ? ' final' : '');
    if (result && result.topic) {
      const h = document.createElement('h3');
      h.textContent = result.topic;
      article.append(h);
    }
    titles.forEach((title, index) => {
      const section = (sections && sections.find((s) => s.index === index)) || job.sections[index];
      article.append(renderSection(index, title, section));
    });
    if (result && result.failedSections) {
      const p = document.createElement('p');
      p.className = 'banner warn';
      p.textContent = `${result.failedSections} section(s) failed; the rest of the presentation is complete.`;
      article.append(p);
    }
    fragment.append(article);
    return fragment;
  }
  if (job.text) { // an explanation while it streams
    const article = document.createElement('article');
    article.className = 'explanation streaming';
    article.setAttribute('aria-busy', 'true');
    article.append(renderMarkdown(job.text));
    fragment.append(article);
  }
  return fragment;
}

function renderSection(index, title, section) {
  const element = document.createElement('section');
  element.className = 'section';
  element.dataset.index = String(index);
  const h = document.createElement('h3');
  h.textContent = `${index + 1}. ${title}`;
  element.append(h);
  const body = document.createElement('div');
  body.className = 'body';
  if (!section) {
    element.dataset.state = 'pending';
    element.classList.add('skeleton');
    element.setAttribute('aria-busy', 'true');
    for (let i = 0; i < 3; i++) {
      const line = document.createElement('div');
      line.className = 'line';
      body.append(line);
    }
  } else if (section.status === 'SUCCEEDED') {
    element.dataset.state = 'done';
    body.append(renderMarkdown(section.markdown, 3));
  } else {
    element.dataset.state = 'failed';
    body.textContent = `This section failed: ${section.error || section.status}`;
  }
  element.append(body);
  return element;
}

// ---------------------------------------------------------------- SSE over fetch
/** Parses an SSE byte stream into {id, event, data} frames. */
async function* sseFrames(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame = { id: null, event: 'message', data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (frame.data.length) yield { id: frame.id, event: frame.event, data: frame.data.join('\n') };
          frame = { id: null, event: 'message', data: [] };
        } else if (line.startsWith(':')) {
          // comment / heartbeat
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'id') frame.id = value;
          else if (field === 'event') frame.event = value;
          else if (field === 'data') frame.data.push(value);
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Follows the job's event stream to its end, reconnecting with Last-Event-ID when the connection drops. */
async function follow() {
  if (follower) follower.abort();
  const controller = new AbortController();
  follower = controller;
  const current = job;
  let failures = 0;
  while (!current.done && !controller.signal.aborted) {
    const headers = apiHeaders({ Accept: 'text/event-stream' });
    if (current.lastEventId) headers['Last-Event-ID'] = current.lastEventId;
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(current.id)}/events`,
          { headers, signal: controller.signal, cache: 'no-store' });
      if (!response.ok) {
        const message = await problemMessage(response, 'Following the job');
        if (response.status === 429 || response.status >= 500) throw new Error(message);
        showError(message);
        announce(`Cannot follow job ${current.id}.`);
        return;
      }
      if (failures) showError('');
      failures = 0;
      announce(current.lastEventId ? `Resumed job ${current.id} after event ${current.lastEventId}.`
          : `Following job ${current.id}.`);
      for await (const frame of sseFrames(response.body)) {
        let data;
        try { data = JSON.parse(frame.data); } catch { continue; }
        apply(frame.event, data);
        if (frame.id) current.lastEventId = frame.id;
        persist();
        if (TERMINAL.has(frame.event)) {
          announce(`Job ${current.id} ${current.status.toLowerCase()}.`);
          render();
          watchWebhook(current);
        } else {
          if (frame.event === 'planned') announce(`Planned ${current.total} sections.`);
          if (frame.event === 'section') announce(`Section ${current.completed} of ${current.total} ready.`);
          scheduleRender();
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      failures++;
      showError(error instanceof TypeError ? unreachable(error) : String(error.message || error));
      announce(`Connection lost; reconnecting (attempt ${failures})…`);
      await sleep(Math.min(10000, 500 * 2 ** Math.min(failures, 5)));
      continue;
    }
    if (!current.done) await sleep(300); // the server closed early (e.g. restart): resume where we are
  }
  if (follower === controller) follower = null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function showJob(id, type) {
  job = store.get(sessionStorage, JOB_STORE(id), null) || newJob(id, type);
  const url = new URL(location.href);
  url.searchParams.set('job', id);
  history.replaceState(null, '', url);
  showError('');
  render();
  if (job.done) {
    announce(`Job ${id} ${job.status.toLowerCase()}.`);
    if (!job.webhook || job.webhook.state === 'RETRYING') watchWebhook(job);
  } else {
    follow();
  }
}

async function submit(event) {
  event.preventDefault();
  const body = requestBody();
  if (!body.input.topic) {
    showError('Enter a topic first.');
    $('topic').focus();
    return;
  }
  savePreferences();
  store.set(localStorage, KEY_STORE, $('api-key').value.trim());
  showError('');
  announce('Submitting…');
  $('submit').disabled = true;
  try {
    // a quick request (subtopics, often a cache hit) waits for its result in the same call: 200 when it ended
    const quick = body.type === 'SUBTOPICS' ? { Prefer: 'wait=10' } : {};
    const response = await fetch('/api/jobs', {
      method: 'POST',
      headers: apiHeaders({ 'Content-Type': 'application/json', Accept: 'application/json', ...quick }),
      body: JSON.stringify(body),
    });
    if (response.status !== 202 && response.status !== 200) {
      showError(await problemMessage(response, 'The request'));
      announce('Not submitted.');
      return;
    }
    const accepted = await response.json();
    rememberTopic(body.input.topic);
    if (follower) follower.abort();
    store.remove(sessionStorage, JOB_STORE(accepted.jobId));
    job = null;
    $('output').replaceChildren();
    announce(`Job ${accepted.jobId} ${String(accepted.status || 'QUEUED').toLowerCase()}.`);
    showJob(accepted.jobId, body.type);
    refreshMyJobs();
  } catch (error) {
    showError(unreachable(error));
    announce('Not submitted.');
  } finally {
    $('submit').disabled = false;
  }
}

async function cancel() {
  if (!job) return;
  try {
    const response = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`, { method: 'DELETE', headers: apiHeaders() });
    announce(response.ok ? 'Cancellation requested.' : await problemMessage(response, 'Cancelling'));
  } catch (error) {
    showError(unreachable(error));
  }
}

// ---------------------------------------------------------------- operations panel
function text(id, value) { $(id).textContent = value; }

async function refreshOps() {
  try {
    const [health, metrics] = await Promise.all([
      fetch('/api/health', { cache: 'no-store' }), fetch('/api/metrics', { cache: 'no-store' })]);
    const h = health.headers.get('Content-Type')?.includes('json') ? await health.json() : null;
    if (h && h.components) {
      const c = h.components;
      text('health-status', h.status);
      $('health-status').dataset.status = h.status === 'healthy' ? 'SUCCEEDED' : h.status === 'unhealthy' ? 'FAILED' : '';
      text('health-kafka', `${c.kafka?.status ?? '?'}${c.kafka?.detail ? ' — ' + c.kafka.detail : ''}`);
      text('health-gemini', `${c.gemini?.mode ?? 'unknown'}${c.gemini?.model ? ' (' + c.gemini.model + ')' : ''}`);
      const cache = c.cache || {};
      text('health-cache', `${cache.type ?? 'unknown'}, hit ratio ${Math.round((cache.hitRatio || 0) * 1000) / 10} %` +
          ` (${cache.hits ?? 0} hits, ${cache.misses ?? 0} misses, ${cache.size ?? 0} entries)`);
      const breaker = c.circuit_breaker || {};
      text('health-breaker', `${breaker.state ?? 'unknown'} (${breaker.workers ?? 0} live workers)`);
      $('health-breaker').dataset.state = breaker.state || '';
    } else {
      text('health-status', `no answer (${health.status})`);
    }
    if (metrics.ok) {
      const m = await metrics.json();
      text('metrics-inflight', `${m.workers?.inFlight ?? 0} of ${m.workers?.maxInFlight ?? 0} (${m.workers?.live ?? 0} workers)`);
      text('metrics-sse', String(m.jobs?.sseConnections ?? 0));
      text('metrics-submitted', Object.entries(m.jobs?.submitted || {}).map(([k, v]) => `${k.toLowerCase()} ${v}`).join(', '));
    }
    $('ops-error').hidden = true;
    text('ops-updated', `Updated ${new Date().toLocaleTimeString()}.`);
  } catch (error) {
    $('ops-error').textContent = unreachable(error);
    $('ops-error').hidden = false;
  }
  await refreshAdmin();
}

function adminHeaders() {
  const token = $('admin-token').value.trim();
  return token ? { Authorization: `Bearer ${token}` } : null;
}

async function refreshAdmin() {
  const headers = adminHeaders();
  const target = $('admin-state');
  if (!headers) { target.replaceChildren(); return; }
  try {
    const response = await fetch('/api/circuit-breaker/state', { headers, cache: 'no-store' });
    if (!response.ok) {
      const p = document.createElement('p');
      p.className = 'banner error';
      p.textContent = await problemMessage(response, 'The breaker state');
      target.replaceChildren(p);
      return;
    }
    const state = await response.json();
    const summary = document.createElement('p');
    summary.append('Pool breaker: ');
    const strong = document.createElement('strong');
    strong.id = 'pool-state';
    strong.dataset.state = state.state;
    strong.textContent = state.state;
    summary.append(strong);
    const table = document.createElement('table');
    table.className = 'workers';
    const caption = document.createElement('caption');
    caption.className = 'help';
    caption.textContent = `Workers (checked ${new Date(state.checkedAt).toLocaleTimeString()})`;
    table.append(caption);
    const head = table.createTHead().insertRow();
    for (const label of ['worker', 'breaker', 'failure rate', 'paused', 'in flight']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.append(th);
    }
    const tbody = table.createTBody();
    for (const w of state.workers || []) {
      const row = tbody.insertRow();
      row.dataset.worker = w.workerId;
      const cells = [w.workerId, w.state, w.failureRate < 0 ? '—' : `${w.failureRate} %`, w.paused ? 'yes' : 'no',
        `${w.inFlight} / ${w.maxInFlight}`];
      cells.forEach((value, i) => {
        const cell = row.insertCell();
        cell.textContent = value;
        if (i === 1) { cell.dataset.state = w.state; cell.className = 'worker-state'; }
      });
    }
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    wrap.append(table);
    target.replaceChildren(summary, wrap);
  } catch (error) {
    target.textContent = unreachable(error);
  }
}

async function adminCommand(path, label) {
  const headers = adminHeaders();
  const result = $('admin-result');
  if (!headers) { result.textContent = 'Enter the admin token first.'; $('admin-token').focus(); return; }
  result.textContent = `${label}: sending…`;
  try {
    const response = await fetch(path, { method: 'POST', headers });
    if (response.ok) {
      const body = await response.json();
      const workers = body.workers || [];
      result.textContent = `${label}: command ${body.command} sent to ${workers.length} worker(s)` +
          (workers.length ? ` (${workers.join(', ')})` : '') + `; command id ${body.commandId}.`;
      setTimeout(refreshOps, 1500);
    } else {
      result.textContent = `${label} failed — ${await problemMessage(response, label)}`;
    }
  } catch (error) {
    result.textContent = `${label} failed — ${unreachable(error)}`;
  }
}

// ---------------------------------------------------------------- wiring
function start() {
  loadPreferences();
  $('job-form').addEventListener('submit', submit);
  $('type').addEventListener('change', () => { adaptForm(); savePreferences(); });
  $('sections').addEventListener('change', savePreferences);
  $('level').addEventListener('change', savePreferences);
  $('api-key').addEventListener('change', () => store.set(localStorage, KEY_STORE, $('api-key').value.trim()));
  $('admin-token').addEventListener('change', () => {
    store.set(sessionStorage, ADMIN_STORE, $('admin-token').value.trim());
    refreshAdmin();
  });
  $('cancel').addEventListener('click', cancel);
  $('reset-breaker').addEventListener('click', () => adminCommand('/api/circuit-breaker/reset', 'Reset breaker'));
  $('clear-cache').addEventListener('click', () => adminCommand('/api/cache/clear', 'Clear cache'));
  if ($('admin-token').value) $('admin').open = true;

  const id = new URLSearchParams(location.search).get('job');
  if (id) {
    if (/^[A-Za-z0-9-]{1,100}$/.test(id)) showJob(id, null);
    else showError('The job id in the address is not valid.');
  }
  refreshOps();
  setInterval(refreshOps, OPS_INTERVAL_MS);
  refreshMyJobs();
  setInterval(refreshMyJobs, OPS_INTERVAL_MS);
}

start();
