// The piseruma API from the browser: JSON in and out, Bearer token, problem+json errors as
// ApiError (status, title, detail, violations), and the event stream read with fetch (an
// EventSource cannot send the Authorization header).

let token = sessionStorage.getItem('psr.token') || '';

export function setToken(value) {
  token = value || '';
  if (token) sessionStorage.setItem('psr.token', token);
  else sessionStorage.removeItem('psr.token');
}
export function hasToken() { return token !== ''; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.type = problem.type || '';
    this.violations = Array.isArray(problem.violations) ? problem.violations : [];
    this.currentVersion = problem.current_version;
  }
  // The endpoint is not there yet or its read models are not running: a view says so
  // calmly instead of failing.
  get notAvailable() { return this.status === 503 || this.status === 404 || this.status === 501; }
}

function headersFor(extra) {
  const h = {Accept: 'application/json', ...extra};
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function problemOf(res) {
  try {
    return await res.json();
  } catch {
    return {title: res.statusText};
  }
}

// GET/POST/DELETE `path`; resolves to the JSON body (or null), rejects with ApiError.
export async function api(path, {method = 'GET', body, headers = {}} = {}) {
  const init = {method, headers: headersFor(headers), cache: 'no-store'};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, {title: 'network', detail: String(e)});
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (data && typeof data === 'object') {
    Object.defineProperty(data, '$etag', {value: res.headers.get('ETag'), enumerable: false});
  }
  return data;
}

// A file (the audit file): resolves to {blob, filename}.
export async function apiBlob(path) {
  const res = await fetch(path, {headers: headersFor({Accept: '*/*'}), cache: 'no-store'});
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = disposition.match(/filename="?([^";]+)"?/);
  return {blob: await res.blob(), filename: m ? m[1] : ''};
}

export function newKey() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Follows GET /v1/events/stream: calls onEvent({id, event, data}) for each event, resumes
// after the last id when the connection drops. Returns a function that stops it.
export function followEvents(onEvent, onState = () => {}) {
  const controller = new AbortController();
  let lastId = '';
  let stopped = false;
  let delay = 1000;

  async function connect() {
    while (!stopped) {
      try {
        const headers = headersFor({Accept: 'text/event-stream'});
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await fetch('/v1/events/stream', {headers, signal: controller.signal, cache: 'no-store'});
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState('live');
        delay = 1000;
        await readStream(res.body.getReader());
      } catch (e) {
        if (stopped) return;
        onState('offline');
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }

  async function readStream(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, {stream: true});
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const msg = {id: '', event: 'message', data: ''};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const field = line.slice(0, colon);
          const val = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') msg.id = val;
          else if (field === 'event') msg.event = val;
          else if (field === 'data') msg.data += (msg.data ? '\n' : '') + val;
        }
        if (msg.id) lastId = msg.id;
        if (!msg.data) continue;
        try {
          onEvent({...msg, data: JSON.parse(msg.data)});
        } catch {
          /* a malformed event is skipped; the next refresh catches up */
        }
      }
    }
  }

  connect();
  return () => {
    stopped = true;
    controller.abort();
  };
}
