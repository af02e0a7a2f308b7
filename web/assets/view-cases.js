// Caseworkers and supervisors: the caseload (overdue first, due this week, awaiting a
// partner), search, registering a participant, approvals waiting and the team's caseloads.

import {api, newKey} from './api.js';
import {fill, h} from './dom.js';
import {buildForm} from './forms.js';
import {fmtDate, L, t, today, valueLabel} from './i18n.js';
import {announce, caseLink, go, loadDefinitions, pageTitle, problemBox, recentCases, rememberCase, rowsOf, section,
        session, stateText, table} from './ui.js';

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function pathwaysOf(row) {
  const p = row.pathways;
  if (Array.isArray(p)) return p.map((x) => (Array.isArray(x) ? {name: x[0], state: x[1]} : {name: x.pathway || x.name, state: x.state}));
  if (p && typeof p === 'object') return Object.entries(p).map(([name, state]) => ({name, state}));
  return [];
}

const dueOf = (r) => r.next_due_on || r.next_due?.due_on || '';

function awaitingPartner(row) {
  if (row.awaiting_anapec || row.awaiting_odco || row.awaiting_partner) return true;
  return pathwaysOf(row).some((p) => p.name === 'employment' && p.state === 'referred');
}

const caseColumns = () => [
  {title: t('participant_code'), header: true, get: (r) => caseLink(r.case_id || r.id, r.participant_code || r.case_id || r.id)},
  {title: t('city'), get: (r) => r.city || '—'},
  {title: t('state'), get: (r) => [stateText('case', r.state),
    ...pathwaysOf(r).map((p) => h('span', {class: 'chip'}, `${L(session.workflows.find((w) => w.name === p.name)?.label, p.name)} : ${stateText(p.name, p.state)}`))]},
  {title: t('next_due'), get: (r) => (dueOf(r)
    ? h('span', {class: r.overdue ? 'badge badge-overdue' : ''}, fmtDate(dueOf(r)), r.overdue ? ` · ${t('overdue_badge')}` : '')
    : '—')},
];

const unhcrColumn = () => ({title: t('unhcr_id'), get: (r) => r.unhcr_id || '—'});

function searchForm(onSearch) {
  const input = h('input', {id: 'case-search', type: 'search', name: 'q', autocomplete: 'off', 'aria-describedby': 'case-search-help'});
  return h('form', {class: 'search', role: 'search', onsubmit: (e) => { e.preventDefault(); onSearch(input.value.trim()); }},
    h('label', {for: 'case-search'}, t('search')),
    h('p', {class: 'help', id: 'case-search-help'}, t('search_label')),
    h('div', {class: 'inline'}, input, h('button', {type: 'submit'}, t('search_button'))));
}

// The server finds a case id, or the start of a participant code or UNHCR number, in the
// caller's cities; one match opens the case. Without the case list (read models not
// answering), the cases opened recently on this device are searched instead.
async function search(q, results) {
  fill(results);
  if (!q) return;
  let found;
  let total = 0;
  try {
    const page = await api(`/v1/cases?${new URLSearchParams({q, limit: '50'})}`);
    found = rowsOf(page, 'cases');
    total = page.total ?? found.length;
  } catch (e) {
    const needle = q.toLowerCase().replace(/[\s-]/g, '');
    found = recentCases().filter((c) => `${c.code}${c.id}`.toLowerCase().replace(/[\s-]/g, '').includes(needle))
      .map((c) => ({case_id: c.id, participant_code: c.code}));
    total = found.length;
    if (!found.length) return results.append(problemBox(e, t('search')));
  }
  if (found.length === 1) return go(`#/case/${found[0].case_id}`);
  if (!found.length) return results.append(h('p', {class: 'notice notice-info'}, t('search_none', {q})));
  results.append(table(t('search'), [...caseColumns(), unhcrColumn()], found),
    total > found.length ? h('p', {class: 'muted small'}, t('shown_of', {n: found.length, total})) : '');
}

function recentBox() {
  const recent = recentCases();
  if (!recent.length) return null;
  return section(t('recent_cases'), {'data-testid': 'recent'}, h('p', {class: 'muted small'}, t('recent_hint')),
    h('ul', {class: 'plain'}, recent.map((c) => h('li', {}, caseLink(c.id, c.code ? `${c.code} (${c.id})` : c.id)))));
}

export async function caseloadView(main, {mine}) {
  const results = h('div', {'aria-live': 'polite'});
  const body = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  fill(main, pageTitle(mine ? t('caseload_title') : t('nav_cases')),
    h('div', {class: 'card'}, searchForm((q) => search(q, results)), results), body);
  const params = new URLSearchParams({sort: 'next_due', limit: '500'});
  if (mine && session.me.role === 'caseworker') params.set('caseworker', 'me');
  try {
    const rows = rowsOf(await api(`/v1/cases?${params}`), 'cases').filter((r) => r.state !== 'closed');
    const weekEnd = addDays(today(), 7);
    const overdue = rows.filter((r) => r.overdue);
    const week = rows.filter((r) => !r.overdue && dueOf(r) && dueOf(r) <= weekEnd);
    const waiting = rows.filter((r) => !overdue.includes(r) && !week.includes(r) && awaitingPartner(r));
    const others = rows.filter((r) => !overdue.includes(r) && !week.includes(r) && !waiting.includes(r));
    const block = (title, list, cls) => section(`${title} (${list.length})`, {class: `card ${cls}`},
      list.length ? table(title, caseColumns(), list) : h('p', {class: 'muted'}, t('no_cases')));
    fill(body, block(t('overdue'), overdue, 'card-overdue'), block(t('due_week'), week, 'card-week'),
      block(t('awaiting_partner'), waiting, ''), block(t('other_cases'), others, ''), recentBox() || '');
  } catch (e) {
    fill(body, problemBox(e, mine ? t('caseload_title') : t('nav_cases')), recentBox() || '');
  }
}

export async function registerView(main) {
  fill(main, pageTitle(t('register_title')), h('p', {class: 'loading'}, t('loading')));
  if (!session.definitions.has('case')) await loadDefinitions();
  const def = session.definitions.get('case');
  const form = def && (def.forms || []).find((f) => f.command === 'RegisterParticipant');
  if (!form) {
    fill(main, pageTitle(t('register_title')), problemBox({title: t('error'), detail: 'RegisterParticipant'}));
    return;
  }
  const transition = (def.transitions || []).find((x) => x.command === 'RegisterParticipant') || {};
  const key = newKey();
  const card = h('div', {class: 'card narrow'},
    L(transition.help) ? h('p', {class: 'help lead'}, L(transition.help)) : null,
    buildForm({
      fields: form.fields,
      submitLabel: t('register_button'),
      testId: 'register-form',
      onSubmit: async (data) => {
        const res = await api('/v1/cases', {method: 'POST', body: {data}, headers: {'Idempotency-Key': key}});
        rememberCase(res.id, '');
        announce(t('registered', {id: res.id}), 'success');
        go(`#/case/${res.id}`);
      },
    }));
  fill(main, pageTitle(t('register_title')), card);
}

// Each list is asked of the server (?awaiting=), so none is cut short by a page of cases.
export async function approvalsView(main) {
  const body = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  fill(main, pageTitle(t('approvals_title')), body);
  const waiting = (what) => api(`/v1/cases?awaiting=${what}&sort=last_activity&limit=500`).then((r) => rowsOf(r, 'cases'));
  try {
    const [plans, closures, transfers] = await Promise.all(
      ['plan_review', 'closure_approval', 'transfer_answer'].map(waiting));
    const outcome = {title: t('proposed_outcome'), get: (r) => valueLabel('outcome', r.proposed_outcome)};
    const block = (key, title, list, extra = []) => section(`${title} (${list.length})`, {'data-testid': `approvals-${key}`},
      list.length ? table(title, [...caseColumns(), ...extra], list) : h('p', {class: 'muted'}, t('no_cases')));
    fill(body, block('plan_review', t('approvals_plans'), plans),
      block('closure_approval', t('approvals_closures'), closures, [outcome]),
      block('transfer_answer', t('approvals_transfers'), transfers));
  } catch (e) {
    fill(body, problemBox(e, t('approvals_title')));
  }
}

export async function teamView(main) {
  const body = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  fill(main, pageTitle(t('team_title')), body);
  try {
    const rows = rowsOf(await api('/v1/caseloads'), 'caseworkers', 'caseloads');
    const n = (k) => (r) => String(r[k] ?? 0);
    fill(body, section(t('team_title'), {}, table(t('team_title'), [
      {title: t('caseworker'), header: true, get: (r) => r.key || r.caseworker_id || r.city || '—'},
      {title: t('active_cases'), numeric: true, get: n('active_cases')},
      {title: t('overdue_deadlines'), numeric: true, get: n('overdue_deadlines')},
      {title: t('due_this_week'), numeric: true, get: n('due_this_week')},
      {title: t('awaiting_anapec'), numeric: true, get: n('awaiting_anapec')},
      {title: t('awaiting_odco'), numeric: true, get: n('awaiting_odco')},
    ], rows)));
  } catch (e) {
    fill(body, problemBox(e, t('team_title')));
  }
}
