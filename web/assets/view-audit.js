// Auditors: a case's history as a timeline (actor, time, hash), the case as of any moment
// (slider or date picker), the integrity check, the access log and the audit file.
// The auditor endpoints are found in the server's own OpenAPI document, so the page uses
// what this server has and says calmly what it does not have yet.

import {api, apiBlob, ApiError} from './api.js';
import {download, fill, h} from './dom.js';
import {currentLang, eventLabel, fmtDate, fmtTime, L, t} from './i18n.js';
import {go, pageTitle, problemBox, recentCases, rowsOf, section, caseLink} from './ui.js';

let openapi = null;
async function routes() {
  if (!openapi) {
    try {
      openapi = (await api('/v1/openapi.json')).paths || {};
    } catch {
      openapi = {};
    }
  }
  return openapi;
}

// The query parameter of `path` whose name matches `re` (e.g. the case id of /v1/audit/access).
async function paramOf(path, re, fallback) {
  const op = (await routes())[path]?.get;
  const p = (op?.parameters || []).find((x) => x.in === 'query' && re.test(x.name));
  return p ? p.name : fallback;
}

async function asOfPath(id) {
  const paths = await routes();
  for (const path of ['/v1/cases/{case_id}/history', '/v1/cases/{case_id}']) {
    const params = paths[path]?.get?.parameters || [];
    if (params.some((p) => p.name === 'as_of')) return path.replace('{case_id}', encodeURIComponent(id));
  }
  return null;
}

function notYet(what) {
  return problemBox(new ApiError(404, {detail: ''}), what);
}

const short = (hash) => (hash ? `${String(hash).slice(0, 12)}…` : '—');
const actorOf = (e) => (typeof e.actor === 'object' && e.actor ? [e.actor.user_id, e.actor.role].filter(Boolean).join(' · ')
  : [e.actor || e.user_id, e.role].filter(Boolean).join(' · ') || '—');
const timeOf = (e) => e.recorded_at || e.read_at || e.time || e.at;
const whatOf = (e) => L(e.summary) || eventLabel(e.type || e.event_type);

export function auditHomeView(main) {
  const input = h('input', {id: 'audit-case', name: 'case', type: 'text', autocomplete: 'off', placeholder: 'case-…'});
  const recent = recentCases();
  fill(main, pageTitle(t('audit_title')),
    h('div', {class: 'card narrow'}, h('p', {}, t('audit_intro')),
      h('form', {class: 'search', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) go(`#/audit/${input.value.trim()}`); }},
        h('label', {for: 'audit-case'}, t('audit_case')), h('div', {class: 'inline'}, input, h('button', {type: 'submit'}, t('audit_open'))))),
    recent.length ? section(t('recent_cases'), {}, h('ul', {class: 'plain'}, recent.map((c) =>
      h('li', {}, h('a', {href: `#/audit/${encodeURIComponent(c.id)}`}, c.code ? `${c.code} (${c.id})` : c.id))))) : '');
}

function historyTable(events, selected) {
  return h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('audit_history')},
    h('table', {class: 'history', 'data-testid': 'history'},
      h('caption', {}, t('audit_history')),
      h('thead', {}, h('tr', {}, [t('position'), t('time'), t('event'), t('actor'), t('hash')].map((x) => h('th', {scope: 'col'}, x)))),
      h('tbody', {}, events.map((e, i) => h('tr', {class: i > selected ? 'future' : i === selected ? 'selected' : ''},
        h('td', {class: 'num'}, e.position ?? e.version ?? i + 1),
        h('td', {}, fmtTime(timeOf(e))),
        h('th', {scope: 'row'}, whatOf(e), e.type ? h('span', {class: 'muted small block'}, e.type) : null),
        h('td', {}, actorOf(e)),
        h('td', {}, h('code', {title: e.hash || ''}, short(e.hash))))))));
}

// What the selected event changed (GET /v1/cases/{id}/diff), when the server has it.
async function changesOf(id, events, i) {
  if (i === 0 || !(await routes())['/v1/cases/{case_id}/diff']) return '';
  try {
    const d = await api(`/v1/cases/${encodeURIComponent(id)}/diff?from=${events[i - 1].position}&to=${events[i].position}`);
    // Facts that changed, in the reader's language; labels and bookkeeping left out.
    const other = currentLang() === 'fr' ? 'en' : 'fr';
    const changes = (d.changes || []).filter((c) => !/^(version|last_position|last_activity_at)$/.test(c.path) &&
      !/label|\.workflow$|\.name$/.test(c.path) && !new RegExp(`[._]${other}$`).test(c.path));
    if (!changes.length) return '';
    const v = (x) => (x === undefined ? '—' : typeof x === 'object' ? JSON.stringify(x) : String(x));
    return h('div', {}, h('h3', {}, t('audit_changes')), h('ul', {class: 'plain small'}, changes.slice(0, 20).map((c) =>
      h('li', {}, h('code', {}, c.path), ` : ${v(c.from)} → ${v(c.to)}`)), changes.length > 20 ? h('li', {}, '…') : null));
  } catch {
    return '';
  }
}

function stateSummary(state) {
  const workflows = state.workflows || state.state?.workflows || [];
  if (!workflows.length) return h('pre', {class: 'json'}, JSON.stringify(state, null, 2).slice(0, 4000));
  return h('ul', {class: 'plain'}, workflows.map((w) => h('li', {}, h('strong', {}, L(w.label, w.workflow)), ' : ', L(w.state_label, w.state),
    w.since ? h('span', {class: 'muted small'}, ` (${t('since', {on: fmtDate(w.since)})})`) : null)));
}

export async function auditCaseView(main, id) {
  fill(main, pageTitle(`${t('audit_history')} ${id}`), h('p', {class: 'loading'}, t('loading')));
  const historyBox = section(t('audit_history'), {'data-testid': 'audit-history'});
  const asOfBox = section(t('audit_asof'), {'data-testid': 'audit-asof'});
  const verifyBox = section(t('audit_verify'), {'data-testid': 'audit-verify'});
  const accessBox = section(t('audit_access'), {'data-testid': 'audit-access'});
  const fileBox = section(t('audit_file'), {'data-testid': 'audit-file'});
  fill(main, pageTitle(`${t('audit_history')} ${id}`),
    h('p', {}, caseLink(id, `${t('case_title')} ${id}`)), h('div', {class: 'audit-grid'}, asOfBox, verifyBox), historyBox, accessBox, fileBox);

  // History and the as-of view share the selected moment.
  let events = [];
  try {
    events = rowsOf(await api(`/v1/cases/${encodeURIComponent(id)}/history?personal=false&limit=1000`), 'events', 'history');
  } catch (e) {
    historyBox.append(problemBox(e, t('audit_history')));
    asOfBox.append(notYet(t('audit_asof')));
  }
  if (events.length) {
    const tableHolder = h('div');
    const stateHolder = h('div', {'aria-live': 'polite', 'data-testid': 'asof-state'});
    const label = h('p', {class: 'asof-label'});
    const slider = h('input', {type: 'range', id: 'asof-slider', min: 0, max: events.length - 1, value: events.length - 1, step: 1});
    const picker = h('input', {type: 'datetime-local', id: 'asof-date', step: 1});
    const asOf = await asOfPath(id);
    let timer = null;
    const select = (i) => {
      slider.value = String(i);
      slider.setAttribute('aria-valuetext', `${whatOf(events[i])} — ${fmtTime(timeOf(events[i]))}`);
      label.textContent = `${i + 1} / ${events.length} · ${whatOf(events[i])} · ${fmtTime(timeOf(events[i]))}`;
      fill(tableHolder, historyTable(events, i));
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!asOf) return fill(stateHolder, notYet(t('audit_asof_state')));
        try {
          const at = encodeURIComponent(events[i].position ?? timeOf(events[i]) ?? '');
          const state = await api(`${asOf}${asOf.includes('?') ? '&' : '?'}as_of=${at}&personal=false`);
          const changes = await changesOf(id, events, i);
          if (Number(slider.value) !== i) return;  // the user moved on meanwhile
          fill(stateHolder, h('h3', {}, t('audit_asof_state'), ' — ', fmtTime(state.as_of?.at || timeOf(events[i]))),
            stateSummary(state), changes);
          stateHolder.dataset.position = String(events[i].position ?? i);
        } catch (e) {
          fill(stateHolder, problemBox(e, t('audit_asof_state')));
        }
      }, 250);
    };
    slider.addEventListener('input', () => select(Number(slider.value)));
    picker.addEventListener('change', () => {
      const when = new Date(picker.value).getTime();
      let i = 0;
      events.forEach((e, k) => { if (new Date(timeOf(e)).getTime() <= when) i = k; });
      select(i);
    });
    asOfBox.append(h('div', {class: 'field'}, h('label', {for: 'asof-slider'}, t('audit_asof_slider')), slider, label),
      h('div', {class: 'field'}, h('label', {for: 'asof-date'}, t('audit_asof_label')), picker), stateHolder);
    historyBox.append(tableHolder);
    select(events.length - 1);
  }

  // Integrity.
  const result = h('div', {'aria-live': 'polite'});
  verifyBox.append(h('button', {type: 'button', onclick: async () => {
    fill(result, h('p', {class: 'loading'}, t('loading')));
    try {
      const v = (await routes())['/v1/cases/{case_id}/verify']
        ? await api(`/v1/cases/${encodeURIComponent(id)}/verify`)
        : await api(`/v1/audit/verify?${await paramOf('/v1/audit/verify', /stream|case/, 'stream')}=${encodeURIComponent(id)}`);
      const ok = v.intact ?? v.ok ?? v.valid ?? v.verified ?? (v.status === 'ok' || v.status === 'intact');
      const streams = Array.isArray(v.streams) ? v.streams : [v];
      fill(result, h('p', {class: `verdict ${ok ? 'ok' : 'broken'}`, 'data-testid': 'verdict'}, ok ? `✔ ${t('audit_verified')}` : `✖ ${t('audit_broken')}`),
        v.first_broken_position ? h('p', {class: 'field-error'}, `${t('position')} ${v.first_broken_position}`) : null,
        h('ul', {class: 'plain small'}, streams.map((x) => h('li', {}, h('code', {}, x.stream_id || id), ` — ${x.intact ? '✔' : '✖'} `,
          t('verified_events', {n: x.checked ?? '?'}), x.head_hash ? [' · ', h('code', {title: x.head_hash}, short(x.head_hash))] : null))),
        h('details', {}, h('summary', {}, 'JSON'), h('pre', {class: 'json'}, JSON.stringify(v, null, 2).slice(0, 4000))));
    } catch (e) {
      fill(result, problemBox(e, t('audit_verify')));
    }
  }}, t('audit_verify_button')), result);

  // Who read this case.
  try {
    const param = await paramOf('/v1/audit/access', /case|stream/, 'case_id');
    const rows = rowsOf(await api(`/v1/audit/access?${param}=${encodeURIComponent(id)}`), 'reads', 'access', 'entries');
    accessBox.append(rows.length ? h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('audit_access')},
      h('table', {}, h('caption', {}, t('audit_access')),
        h('thead', {}, h('tr', {}, [t('time'), t('actor'), t('purpose')].map((x) => h('th', {scope: 'col'}, x)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, fmtTime(timeOf(r))), h('td', {}, actorOf(r)),
          h('td', {}, r.purpose || r.route || '—'))))))
      : h('p', {class: 'muted'}, '—'));
  } catch (e) {
    accessBox.append(problemBox(e, t('audit_access')));
  }

  // The audit file.
  const fileResult = h('div', {'aria-live': 'polite'});
  fileBox.append(h('button', {type: 'button', onclick: async () => {
    try {
      const {blob, filename} = await apiBlob(`/v1/cases/${encodeURIComponent(id)}/audit-file`);
      download(filename || `${id}-audit-file`, blob);
    } catch (e) {
      fill(fileResult, problemBox(e, t('audit_file')));
    }
  }}, t('audit_download')), fileResult);
}
