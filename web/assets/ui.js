// What every view shares: the signed-in user, the workflow definitions, messages, the
// calm "not available yet" box, tables, and the list of recently opened cases.

import {api, ApiError} from './api.js';
import {h} from './dom.js';
import {L, learnLabels, pick, t} from './i18n.js';

export const session = {
  me: null,            // GET /v1/me
  workflows: [],       // GET /v1/workflows
  definitions: new Map(),  // name → GET /v1/workflows/{name}
  stopEvents: null,    // stops the event stream of the current view
};

export async function loadDefinitions() {
  try {
    const list = await api('/v1/workflows');
    session.workflows = list.workflows || [];
    const defs = await Promise.all(session.workflows.map((w) => api(`/v1/workflows/${encodeURIComponent(w.name)}`).catch(() => null)));
    defs.forEach((d) => { if (d) { session.definitions.set(d.name, d); learnLabels(d); } });
  } catch {
    /* forms still work with the labels steps carry */
  }
}

export function workflowStates(name) {
  return (session.workflows.find((w) => w.name === name) || {}).states || [];
}

export function announce(message, kind = 'info') {
  const el = document.getElementById('status');
  el.className = `status status-${kind}`;
  el.textContent = message;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { el.textContent = ''; el.className = 'status'; }, 8000);
}

// A calm message for an endpoint that failed: not there yet, forbidden, or another error.
export function problemBox(err, what = '') {
  if (err instanceof ApiError && err.notAvailable) {
    return h('div', {class: 'notice notice-info', 'data-testid': 'not-available'},
      h('p', {class: 'notice-title'}, what ? `${what} — ${t('not_available')}` : t('not_available')),
      h('p', {}, t('not_available_hint')),
      err.detail ? h('p', {class: 'muted small'}, `${err.status} · ${pick(err.detail)}`) : null);
  }
  if (err instanceof ApiError && err.status === 403) {
    return h('div', {class: 'notice notice-warn'}, h('p', {}, t('forbidden')), h('p', {class: 'muted small'}, pick(err.detail)));
  }
  if (err instanceof ApiError && err.status === 0) {
    return h('div', {class: 'notice notice-error', role: 'alert'}, h('p', {}, t('network_error')));
  }
  return h('div', {class: 'notice notice-error', role: 'alert'},
    h('p', {class: 'notice-title'}, pick(err.title) || t('error')), h('p', {}, pick(err.detail) || String(err.message || err)));
}

export function section(title, attrs, ...children) {
  const id = `h-${title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
  return h('section', {class: 'card', 'aria-labelledby': id, ...attrs}, h('h2', {id}, title), ...children);
}

// A table with a caption; columns: [{title, get(row) → text|Node, numeric}]
export function table(caption, columns, rows, attrs = {}) {
  return h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption},
    h('table', attrs,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col', class: c.numeric ? 'num' : null}, c.title)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c, i) => (i === 0 && c.header
        ? h('th', {scope: 'row'}, c.get(r))
        : h('td', {class: c.numeric ? 'num' : null}, c.get(r)))))))));
}

export function caseLink(id, text) {
  return h('a', {href: `#/case/${encodeURIComponent(id)}`}, text || id);
}

export function stateText(workflow, state) {
  const st = workflowStates(workflow).find((x) => x.name === state);
  return st ? L(st.label, state) : state;
}

// Recently opened cases, per user, in this tab only (no personal data: ids and codes).
function recentKey() { return `psr.recent.${session.me?.user_id || ''}`; }
export function rememberCase(id, code) {
  const list = recentCases().filter((c) => c.id !== id);
  list.unshift({id, code: code || ''});
  sessionStorage.setItem(recentKey(), JSON.stringify(list.slice(0, 12)));
}
export function recentCases() {
  try {
    return JSON.parse(sessionStorage.getItem(recentKey()) || '[]');
  } catch {
    return [];
  }
}

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function pageTitle(text) {
  document.title = `${text} — PISERUMA`;
  return h('h1', {tabindex: '-1', class: 'page-title'}, text);
}

// Rows of a list answer, whatever the read model calls them.
export function rowsOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const k of [...keys, 'rows', 'items', 'cases', 'results']) if (Array.isArray(data?.[k])) return data[k];
  return [];
}
