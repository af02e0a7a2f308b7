// The case page: who, consents (before any referral), where the person is in each pathway,
// deadlines, the next steps as forms generated from the workflow definitions, and a timeline.

import {api, ApiError, followEvents, newKey} from './api.js';
import {fill, h} from './dom.js';
import {buildForm} from './forms.js';
import {eventLabel, fmtDate, fmtTime, L, pick, t, valueLabel} from './i18n.js';
import {announce, pageTitle, problemBox, rememberCase, rowsOf, section, session, workflowStates} from './ui.js';

const PURPOSE = 'case follow-up (web app)';

export function dl(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function whoCard(c) {
  const f = c.facts || {};
  const p = c.personal;
  const personal = p && typeof p === 'object'
    ? [h('div', {class: 'personal', 'data-testid': 'personal'},
        dl([[t('full_name'), p.erased ? t('erased') : p.full_name], [t('date_of_birth'), p.erased ? t('erased') : fmtDate(p.date_of_birth)],
            [t('phone'), p.erased ? t('erased') : p.phone], [t('address'), p.erased ? t('erased') : p.address]]),
        h('p', {class: 'muted small'}, t('personal_read_note')))]
    : [h('p', {class: 'badge badge-sealed'}, t('personal_sealed')), h('p', {class: 'muted small'}, t('personal_sealed_hint'))];
  return section(t('who'), {'data-testid': 'who'}, ...personal,
    dl([[t('participant_code'), f.participant_code], [t('unhcr_id'), f.unhcr_id], [t('sex'), valueLabel('sex', f.sex)],
        [t('age_group'), f.age_group], [t('nationality'), f.nationality], [t('city'), f.city],
        [t('caseworker'), f.caseworker_id], [t('registered_on'), fmtDate(f.registered_on)],
        [t('household_size'), f.household_size], [t('education_level'), f.education_level && valueLabel('education_level', f.education_level)],
        [t('disability'), f.has_disability ? t('yes') : null]]));
}

function consentCard(c) {
  const consents = (c.facts || {}).consents || [];
  return section(t('consents'), {class: `card consent ${consents.some((x) => x.given) ? '' : 'consent-none'}`, 'data-testid': 'consents'},
    consents.length
      ? h('ul', {class: 'plain consent-list'}, consents.map((x) => h('li', {class: x.given ? 'given' : 'withdrawn'},
          h('span', {'aria-hidden': 'true'}, x.given ? '✔ ' : '✖ '),
          h('strong', {}, valueLabel('purpose', x.purpose)), ' → ', valueLabel('recipient', x.recipient), ' · ',
          x.given ? t('consent_given', {on: fmtDate(x.on)}) : t('consent_withdrawn', {on: fmtDate(x.on)}))))
      : h('p', {}, t('consent_none')));
}

// `visited`: workflow → the states its history went through (from GET …/history), or null
// when the history is not available (then the states before the current one count as done).
export function pathwaysCard(c, visited) {
  return section(t('pathways'), {'data-testid': 'pathways'}, (c.workflows || []).map((w) => {
    const seen = visited?.get(w.workflow);
    const states = workflowStates(w.workflow).filter((s) => s.name === w.state || (seen ? seen.has(s.name) || !s.terminal : !s.terminal));
    const at = states.findIndex((s) => s.name === w.state);
    const stateClass = (s, i) => {
      if (i === at) return 'current';
      if (seen) return seen.has(s.name) ? 'done' : 'todo';
      return i < at ? 'done' : 'todo';
    };
    return h('div', {class: 'pathway', 'data-workflow': w.workflow},
      h('h3', {}, L(w.label, w.workflow), ' — ', h('span', {class: 'state-now'}, L(w.state_label, w.state)),
        w.finished ? h('span', {class: 'badge'}, t('finished')) : null),
      w.since ? h('p', {class: 'muted small'}, t('since', {on: fmtDate(w.since)})) : null,
      states.length ? h('ol', {class: 'stepper', 'aria-label': L(w.label, w.workflow)}, states.map((s, i) =>
        h('li', {class: stateClass(s, i), 'aria-current': i === at ? 'step' : null}, L(s.label, s.name)))) : null);
  }));
}

export function deadlinesCard(c) {
  const list = c.deadlines || [];
  if (!list.length) return null;
  return section(t('deadlines'), {}, h('ul', {class: 'plain'}, list.map((d) => h('li', {class: d.overdue ? 'overdue' : ''},
    L(d.label, d.name), ' — ', t('due_on', {on: fmtDate(d.due_on)}),
    d.overdue ? h('span', {class: 'badge badge-overdue'}, t('overdue_badge')) : null))));
}

// A referral needs the matching consent: the step says which, and whether it is there.
function consentBanner(step, c) {
  const needs = (step.blocked_by || []).filter((b) => /consent/.test(b.rule || ''));
  const isReferral = /Referral|Refer/i.test(step.command);
  if (!isReferral && !needs.length) return null;
  const consents = ((c.facts || {}).consents || []).filter((x) => x.given);
  return h('div', {class: 'notice notice-consent', role: 'note'},
    h('p', {class: 'notice-title'}, t('consent_required')),
    consents.length ? h('ul', {class: 'plain'}, consents.map((x) => h('li', {}, '✔ ', valueLabel('purpose', x.purpose), ' → ',
      valueLabel('recipient', x.recipient), ` (${fmtDate(x.on)})`))) : h('p', {}, t('consent_none')),
    needs.map((b) => h('p', {class: 'field-error'}, pick(b.message))));
}

export function stepsCard(c, onCommand) {
  const steps = c.next_steps || [];
  // The first step of each workflow is open: what to do next in every pathway is in view.
  const firstOf = new Set(steps.map((step) => steps.find((x) => x.workflow === step.workflow)));
  const items = steps.map((step) => {
    const details = h('details', {class: 'step', open: firstOf.has(step) ? true : null, 'data-testid': `step-${step.command}`,
                                  'data-workflow': step.workflow},
      h('summary', {}, h('span', {class: 'step-label'}, L(step.label, step.command)),
        h('span', {class: 'muted small'}, ` · ${L(step.workflow_label, step.workflow)}`),
        step.due_on ? h('span', {class: `badge ${step.overdue ? 'badge-overdue' : ''}`}, t('due_on', {on: fmtDate(step.due_on)})) : null),
      L(step.help) ? h('p', {class: 'help lead'}, L(step.help)) : null,
      consentBanner(step, c),
      buildForm({fields: step.fields || [], submitLabel: L(step.label, t('submit')), testId: `form-${step.command}`,
                 onSubmit: (data) => onCommand(step, data)}));
    return details;
  });
  const blocked = c.blocked_steps || [];
  return section(t('next_steps'), {class: 'card steps', 'data-testid': 'next-steps'},
    items.length ? items : h('p', {class: 'muted'}, t('no_next_steps')),
    blocked.length ? h('details', {class: 'blocked'}, h('summary', {}, `${t('blocked_steps')} (${blocked.length})`),
      h('ul', {class: 'plain'}, blocked.map((b) => h('li', {'data-testid': `blocked-${b.command}`},
        h('strong', {}, L(b.label, b.command)), ` · ${L(b.workflow_label, b.workflow)} — `, t('blocked_because'), ' ',
        (b.blocked_by || []).map((x) => pick(x.message)).join(' '))))) : null);
}

// The case's events (GET …/history, without personal fields), or the error.
async function historyOf(id) {
  try {
    return {events: rowsOf(await api(`/v1/cases/${encodeURIComponent(id)}/history?personal=false&limit=1000`), 'events', 'history')};
  } catch (e) {
    return {error: e};
  }
}

function visitedStates(history) {
  if (!history.events) return null;
  const visited = new Map();
  for (const e of history.events) {
    const tr = e.transition;
    if (!tr?.machine) continue;
    if (!visited.has(tr.machine)) visited.set(tr.machine, new Set());
    for (const st of [tr.from, tr.to]) if (st) visited.get(tr.machine).add(st);
  }
  return visited;
}

function timelineCard(c, history) {
  const card = section(t('timeline'), {'data-testid': 'timeline'});
  try {
    if (history.error) throw history.error;
    const events = history.events;
    fill(card, card.firstChild, h('ol', {class: 'timeline'}, events.slice().reverse().map((e) =>
      h('li', {}, h('span', {class: 'tl-time'}, fmtTime(e.recorded_at || e.time)),
        h('strong', {}, L(e.summary) || eventLabel(e.type || e.event_type)),
        h('span', {class: 'muted small'}, ` · ${e.actor?.user_id || e.actor || ''}`)))));
  } catch (e) {
    const known = [[fmtTime(c.created_at), t('created', {on: ''}).trim()],
      ...(c.workflows || []).map((w) => [fmtDate(w.since), `${L(w.label, w.workflow)} : ${L(w.state_label, w.state)}`]),
      [fmtTime(c.last_activity_at), t('last_activity', {on: ''}).trim()]];
    fill(card, card.firstChild, h('p', {class: 'muted small'}, t('timeline_unavailable')),
      h('ol', {class: 'timeline'}, known.map(([when, what]) => h('li', {}, h('span', {class: 'tl-time'}, when), h('strong', {}, what)))),
      e instanceof ApiError && !e.notAvailable && e.status !== 403 ? problemBox(e) : null);
  }
  return card;
}

// Sends a step's command for the stream this page shows, at the version it shows
// (If-Match). A conflict (someone else changed it meanwhile) reloads the page and says so.
export async function runStep(url, current, step, data, reload) {
  try {
    const res = await api(url, {
      method: 'POST',
      body: {command: step.command, data},
      headers: {'Idempotency-Key': newKey(), 'If-Match': `"${current.version}"`},
    });
    current.version = res.version;  // our own event, arriving on the stream, is not news
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      announce(t('conflict'), 'warn');
      await reload();
      return;
    }
    throw e;
  }
  announce(`${L(step.label, step.command)} — ${t('saved')}`, 'success');
  await reload();
}

// Someone else changed the stream this page shows: say so, without wiping a form being
// filled in. `current()` is what the page shows (null while loading).
export function watchChanges(main, id, current, reload) {
  session.stopEvents = followEvents((ev) => {
    if (ev.data.stream_id !== id || !current() || ev.data.version <= current().version) return;
    if (main.querySelector('[data-testid="changed"]')) return;
    main.prepend(h('div', {class: 'notice notice-warn', role: 'alert', 'data-testid': 'changed'},
      h('p', {}, t('changed_meanwhile')), h('button', {type: 'button', onclick: () => reload()}, t('reload'))));
  });
}

// The cooperative a member belongs to: its state, the steps it went through, and a link.
function membershipCard(c) {
  const m = c.cooperative_membership;
  if (!m || !m.id) return null;
  const w = (m.workflows || [])[0] || {};
  return section(t('cooperative'), {'data-testid': 'membership'},
    h('p', {}, h('a', {href: `#/cooperative/${encodeURIComponent(m.id)}`}, m.cooperative?.name || m.id), ' — ',
      h('span', {class: 'state-now'}, L(w.state_label, w.state || ''))),
    h('ol', {class: 'timeline compact'}, (m.milestones || []).map((x) =>
      h('li', {}, h('span', {class: 'tl-time'}, fmtTime(x.recorded_at)), h('strong', {}, eventLabel(x.type))))));
}

export async function caseView(main, id) {
  let current = null;
  let personal = null;  // read once per visit: each read of personal data is recorded

  async function load(focus = true) {
    let c;
    let history;
    try {
      [c, history] = await Promise.all([
        api(`/v1/cases/${encodeURIComponent(id)}${personal ? '?personal=false' : ''}`, {headers: {'X-Purpose': PURPOSE}}),
        historyOf(id)]);
    } catch (e) {
      fill(main, pageTitle(`${t('case_title')} ${id}`), problemBox(e, t('case_title')));
      return;
    }
    if (c.personal && typeof c.personal === 'object') personal = c.personal;
    else if (personal) c.personal = personal;
    current = c;
    const code = (c.facts || {}).participant_code || '';
    rememberCase(c.id, code);
    const title = pageTitle(`${t('case_title')} ${code || c.id}`);
    const header = h('div', {class: 'case-head', 'data-version': c.version}, title,
      h('p', {class: 'muted'}, h('code', {}, c.id), ` · ${t('version', {v: c.version})} · `, t('last_activity', {on: fmtTime(c.last_activity_at)})),
      session.me.role === 'auditor' || session.me.role === 'admin'
        ? h('p', {}, h('a', {href: `#/audit/${encodeURIComponent(c.id)}`}, t('audit_history'))) : null);
    const left = h('div', {class: 'col'}, whoCard(c), pathwaysCard(c, visitedStates(history)), deadlinesCard(c),
      membershipCard(c));
    const right = h('div', {class: 'col col-wide'}, consentCard(c), stepsCard(c, onCommand));
    const timeline = timelineCard(c, history);
    fill(main, header, h('div', {class: 'case-grid'}, right, left), timeline);
    if (focus) title.focus();
  }

  const onCommand = (step, data) => runStep(`/v1/cases/${encodeURIComponent(id)}/commands`, current, step, data, load);

  fill(main, pageTitle(`${t('case_title')} ${id}`), h('p', {class: 'loading'}, t('loading')));
  await load();
  watchChanges(main, id, () => current, load);
}
