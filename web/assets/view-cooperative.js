// Cooperatives, for caseworkers and supervisors: the list in their cities, founding one,
// and a cooperative's page (facts, members, where it stands on the way to ODCO's register,
// its deadlines, the milestones reached, and its next steps as generated forms).

import {api, newKey} from './api.js';
import {fill, h} from './dom.js';
import {buildForm} from './forms.js';
import {fmtDate, fmtNumber, L, t} from './i18n.js';
import {announce, caseLink, go, loadDefinitions, pageTitle, problemBox, rowsOf, section, session, stateText, table}
  from './ui.js';
import {deadlinesCard, dl, pathwaysCard, runStep, stepsCard, watchChanges} from './view-case.js';

const coopLink = (c) => h('a', {href: `#/cooperative/${encodeURIComponent(c.cooperative_id)}`}, c.name || c.cooperative_id);

// The founding form, its members picked from the cases in the cooperative pathway.
function foundForm(candidates) {
  const def = session.definitions.get('cooperative');
  const form = def && (def.forms || []).find((f) => f.command === 'FoundCooperative');
  if (!form) return null;
  const options = candidates.map((c) => ({value: c.case_id, text: `${c.participant_code} · ${c.city}`}));
  const fields = form.fields.map((f) => (f.name === 'member_case_ids' ? {...f, candidates: options} : f));
  const key = newKey();
  return h('details', {class: 'card', 'data-testid': 'found-cooperative'}, h('summary', {}, t('coop_found')),
    buildForm({
      fields,
      submitLabel: t('coop_found'),
      testId: 'form-FoundCooperative',
      onSubmit: async (data) => {
        const res = await api('/v1/cooperatives', {method: 'POST', body: {data}, headers: {'Idempotency-Key': key}});
        announce(`${t('coop_found')} — ${t('saved')}`, 'success');
        go(`#/cooperative/${res.id}`);
      },
    }));
}

export async function cooperativesView(main) {
  const body = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  fill(main, pageTitle(t('cooperatives')), body);
  try {
    if (!session.definitions.has('cooperative')) await loadDefinitions();
    const [rows, candidates] = await Promise.all([
      api('/v1/cooperatives').then((r) => rowsOf(r, 'cooperatives')),
      api('/v1/cases?pathway=cooperative_membership&state=open&limit=500').then((r) => rowsOf(r, 'cases'))]);
    fill(body, foundForm(candidates) || '', rows.length ? table(t('cooperatives'), [
      {title: t('cooperative'), header: true, get: coopLink},
      {title: t('city'), get: (c) => c.city},
      {title: t('state'), get: (c) => stateText('cooperative', c.state)},
      {title: t('coop_members'), numeric: true, get: (c) => String(c.member_count ?? '—')},
      {title: t('coop_founded_on'), get: (c) => fmtDate(c.founded_on)},
      {title: t('coop_odco_register'), get: (c) => c.odco_register_number || '—'},
    ], rows) : h('p', {class: 'muted'}, t('coop_none')));
  } catch (e) {
    fill(body, problemBox(e, t('cooperatives')));
  }
}

// The registry's record of one cooperative (members' codes, milestones with their dates);
// null when the read models do not answer: the page then shows what the stream says.
async function recordOf(id) {
  try {
    const all = rowsOf(await api('/v1/cooperatives'), 'cooperatives');
    return all.find((c) => c.cooperative_id === id) || null;
  } catch {
    return null;
  }
}

function factsCard(c, record) {
  const f = c.cooperative || {};
  return section(t('cooperative'), {'data-testid': 'coop-facts'}, dl([
    [t('city'), f.city], [t('coop_activity'), f.activity], [t('coop_founded_on'), fmtDate(f.founded_on)],
    [t('coop_local_register'), f.local_register_number], [t('coop_odco_register'), f.odco_register_number],
    [t('coop_capital'), f.capital_mad ? fmtNumber(f.capital_mad) : null]]),
  h('h3', {}, `${t('coop_members')} (${(f.member_case_ids || []).length})`),
  h('ul', {class: 'plain', 'data-testid': 'coop-members'}, (f.member_case_ids || []).map((id) => {
    const code = record?.members?.find((m) => m.case_id === id)?.participant_code;
    return h('li', {}, caseLink(id, code || id));
  })));
}

function milestonesCard(record) {
  const list = record?.milestones || [];
  if (!list.length) return null;
  return section(t('coop_milestones'), {'data-testid': 'coop-milestones'}, h('ol', {class: 'timeline'}, list.map((m) =>
    h('li', {}, h('span', {class: 'tl-time'}, fmtDate(m.on)), h('strong', {}, stateText('cooperative', m.state))))));
}

export async function cooperativeView(main, id) {
  let current = null;
  async function load(focus = true) {
    let c;
    let record;
    try {
      [c, record] = await Promise.all([api(`/v1/cooperatives/${encodeURIComponent(id)}`), recordOf(id)]);
    } catch (e) {
      fill(main, pageTitle(`${t('cooperative')} ${id}`), problemBox(e, t('cooperative')));
      return;
    }
    current = c;
    const title = pageTitle(c.cooperative?.name || id);
    const header = h('div', {class: 'case-head', 'data-version': c.version}, title,
      h('p', {class: 'muted'}, `${t('cooperative')} · `, h('code', {}, c.id), ` · ${t('version', {v: c.version})}`));
    const left = h('div', {class: 'col'}, factsCard(c, record), pathwaysCard(c, null), deadlinesCard(c));
    const right = h('div', {class: 'col col-wide'}, stepsCard(c, onCommand), milestonesCard(record));
    fill(main, header, h('div', {class: 'case-grid'}, right, left));
    if (focus) title.focus();
  }
  const onCommand = (step, data) => runStep(`/v1/cooperatives/${encodeURIComponent(id)}/commands`, current, step, data, load);

  fill(main, pageTitle(`${t('cooperative')} ${id}`), h('p', {class: 'loading'}, t('loading')));
  await load();
  watchChanges(main, id, () => current, load);
}
