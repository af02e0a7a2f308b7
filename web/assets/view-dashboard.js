// The committee's dashboard: progress toward the target, the funnel by pathway, the
// breakdowns (sex, age group, nationality, disability, city), SRI change, ANAPEC's answer
// time and monthly trends — SVG charts with their tables, small cells shown as "<5", a CSV
// export of every table — refreshed live from the event stream. Aggregates only.

import {api, followEvents} from './api.js';
import {download, fill, h} from './dom.js';
import {fieldLabel, fmtNumber, L, t, valueLabel} from './i18n.js';
import {hbar, hbarGroups, line, progress} from './charts.js';
import {pageTitle, problemBox, section, session, stateText} from './ui.js';

const DIMS = ['sex', 'age_group', 'nationality', 'disability', 'city'];

function cell(c) {
  if (c === null || c === undefined) return {value: 0, suppressed: false};
  if (typeof c === 'number') return {value: c, suppressed: false};
  if (typeof c === 'string') return /^</.test(c) ? {value: 0, suppressed: true} : {value: Number(c) || 0, suppressed: false};
  return {value: Number(c.value ?? c.count ?? 0), suppressed: Boolean(c.suppressed)};
}

function tablesOf(data) {
  const raw = data.tables || [];
  const list = Array.isArray(raw) ? raw : Object.entries(raw).map(([id, tv]) => ({id, ...tv}));
  return list.map((tv) => ({
    ...tv,
    rows: tv.rows || [],
    cols: tv.cols || tv.columns || [],
    cells: (tv.cells || []).map((r) => (r || []).map(cell)),
    row_totals: (tv.row_totals || []).map(cell),
    col_totals: (tv.col_totals || []).map(cell),
    total: cell(tv.total),
  }));
}

// Words for a table's rows and columns: workflow states, dimension values, months.
function labeler(id) {
  const [kind, a, b] = id.split('.');
  const stateOf = (wf) => (x) => stateText(wf, x);
  if (kind === 'funnel') return {row: stateOf(a), col: (x) => valueLabel(b, x)};
  if (kind === 'entered') return {row: stateOf(a), col: (x) => x};
  return {row: (x) => valueLabel(a === 'month' ? 'outcome' : a || '', x), col: (x) => x};
}

const TITLES = {
  sri: 'sri', 'placements.month': 'title_placements', 'outcomes.month': 'title_outcomes', 'anapec.answers': 'title_anapec',
  'financing.count': 'title_financing_count', 'financing.mad': 'title_financing_mad',
  'training_dropouts.month': 'title_dropouts', 'cooperatives.now': 'cooperatives',
};

function tableTitle(tv) {
  if (TITLES[tv.id]) return t(TITLES[tv.id]);
  const [kind, a, b] = tv.id.split('.');
  const wf = (name) => L(session.workflows.find((w) => w.name === name)?.label, name);
  if (kind === 'funnel') return `${t('funnel')} — ${wf(a)} × ${t(`dim_${b}`)}`;
  if (kind === 'entered') return `${t('trends')} — ${wf(a)}`;
  return `${tv.id}${tv.unit ? ` (${tv.unit})` : ''}`;
}

function shown(c, m) {
  if (c.suppressed) return `<${m}`;
  return typeof c.value === 'number' ? fmtNumber(c.value) : String(c.value ?? '') || '—';
}

function csvOf(tv, m) {
  const lab = labeler(tv.id);
  const q = (x) => (/[",;\n]/.test(String(x)) ? `"${String(x).replaceAll('"', '""')}"` : String(x));
  const val = (c) => (c.suppressed ? `<${m}` : String(c.value));
  const totals = tv.row_totals.length > 0;
  const lines = [['', ...tv.cols.map(lab.col), ...(totals ? [t('total')] : [])].map(q).join(',')];
  tv.rows.forEach((r, i) => lines.push([lab.row(r), ...(tv.cells[i] || []).map(val), ...(totals ? [tv.row_totals[i] ? val(tv.row_totals[i]) : ''] : [])]
    .map(q).join(',')));
  if (tv.col_totals.length) lines.push([t('total'), ...tv.col_totals.map(val), val(tv.total)].map(q).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function csvButton(tv, m) {
  return h('button', {type: 'button', class: 'secondary small', 'data-testid': `csv-${tv.id}`,
    onclick: () => download(`piseruma-${tv.id}.csv`, new Blob([csvOf(tv, m)], {type: 'text/csv;charset=utf-8'}))},
  t('csv'));
}

function htmlTable(tv, m) {
  const lab = labeler(tv.id);
  const title = tableTitle(tv);
  return h('div', {class: 'table-block'},
    h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': title},
      h('table', {'data-table': tv.id},
        h('caption', {}, title),
        h('thead', {}, h('tr', {}, h('td', {}), tv.cols.map((c) => h('th', {scope: 'col', class: 'num'}, lab.col(c))),
          tv.row_totals.length ? h('th', {scope: 'col', class: 'num'}, t('total')) : null)),
        h('tbody', {}, tv.rows.map((r, i) => h('tr', {}, h('th', {scope: 'row'}, lab.row(r)),
          (tv.cells[i] || []).map((c) => h('td', {class: c.suppressed ? 'num suppressed' : 'num'}, shown(c, m))),
          tv.row_totals.length ? h('td', {class: 'num total'}, tv.row_totals[i] ? shown(tv.row_totals[i], m) : '') : null))),
        tv.col_totals.length ? h('tfoot', {}, h('tr', {}, h('th', {scope: 'row'}, t('total')),
          tv.col_totals.map((c) => h('td', {class: c.suppressed ? 'num suppressed' : 'num'}, shown(c, m))),
          h('td', {class: 'num total'}, shown(tv.total, m)))) : null)),
    csvButton(tv, m));
}

function targetSection(data, m) {
  const tg = data.target;
  if (!tg) return null;
  const done = cell(tg.self_reliant);
  const cumulative = (tg.cumulative || []).map((x) => (Array.isArray(x) ? {month: x[0], ...cell(x[1])}
    : {month: x.month, ...cell(x.self_reliant ?? x.value ?? x.count)}));
  return section(t('target'), {'data-testid': 'target'},
    h('p', {class: 'big-number'}, done.suppressed ? `<${m}` : fmtNumber(done.value), h('span', {class: 'muted'}, ` / ${fmtNumber(tg.target || 0)}`)),
    h('p', {}, t('target_text', {n: done.suppressed ? `<${m}` : fmtNumber(done.value), t: fmtNumber(tg.target || 0)}),
      tg.start ? h('span', {class: 'muted small'}, ` · ${tg.start} → ${tg.end || ''}`) : null),
    progress(done.value, tg.target || 0, {title: t('target')}),
    cumulative.length > 1 ? line({x: cumulative.map((c) => c.month), series: [{name: t('target_cumulative'), values: cumulative.map((c) => (c.suppressed ? null : c.value))}]},
      {title: t('target')}) : null);
}

function funnelSection(tables, m) {
  const funnels = tables.filter((tv) => /^funnel\.[^.]+\.sex$/.test(tv.id));
  if (!funnels.length) return null;
  return section(t('funnel'), {'data-testid': 'funnel'}, h('div', {class: 'chart-grid'}, funnels.map((tv) => {
    const pathway = tv.id.split('.')[1];
    const title = L(session.workflows.find((w) => w.name === pathway)?.label, pathway);
    const items = tv.rows.map((r, i) => ({label: stateText(pathway, r), ...(tv.row_totals[i] || {value: 0, suppressed: false})}));
    return h('figure', {class: 'chart-box'}, h('figcaption', {}, title), hbar(items, {title, threshold: m}));
  })));
}

function breakdownSection(tables, m, ui) {
  const pathways = [...new Set(tables.filter((tv) => tv.id.startsWith('funnel.')).map((tv) => tv.id.split('.')[1]))];
  if (!pathways.length) return null;
  const holder = h('div');
  const pathSel = h('select', {id: 'bd-pathway'}, pathways.map((p) => h('option', {value: p, selected: p === ui.pathway ? true : null},
    L(session.workflows.find((w) => w.name === p)?.label, p))));
  const dimSel = h('select', {id: 'bd-dim'}, DIMS.map((d) => h('option', {value: d, selected: d === ui.dim ? true : null}, t(`dim_${d}`))));
  const draw = () => {
    ui.pathway = pathSel.value;
    ui.dim = dimSel.value;
    const tv = tables.find((x) => x.id === `funnel.${ui.pathway}.${ui.dim}`);
    if (!tv) return fill(holder, h('p', {class: 'muted'}, '—'));
    const items = tv.cols.map((c, i) => ({label: valueLabel(ui.dim, c), ...(tv.col_totals[i] || {value: 0, suppressed: false})}));
    fill(holder, hbar(items, {title: tableTitle(tv), threshold: m}), htmlTable(tv, m));
  };
  pathSel.addEventListener('change', draw);
  dimSel.addEventListener('change', draw);
  ui.pathway ||= pathways.includes('case') ? 'case' : pathways[0];
  pathSel.value = ui.pathway;
  draw();
  return section(t('breakdown'), {'data-testid': 'breakdown'},
    h('div', {class: 'inline filters'},
      h('div', {class: 'field'}, h('label', {for: 'bd-pathway'}, t('pathways')), pathSel),
      h('div', {class: 'field'}, h('label', {for: 'bd-dim'}, t('breakdown_by')), dimSel)), holder);
}

function sriSection(data, m) {
  const sri = data.sri || [];
  if (!sri.length) return null;
  const items = sri.map((d) => ({label: fieldLabel({name: d.domain}), values: [d.baseline_mean ?? null, d.endline_mean ?? null]}));
  const fix = (x) => (typeof x === 'number' ? Math.round(x * 100) / 100 : x ?? '');
  const rows = sri.map((d) => [fieldLabel({name: d.domain}), d.suppressed ? `<${m}` : String(d.cases ?? ''), fix(d.baseline_mean),
                               fix(d.endline_mean), fix(d.change)]);
  const tv = {id: 'sri', rows: rows.map((r) => r[0]), cols: [t('sri_cases'), t('sri_baseline'), t('sri_endline'), t('sri_change')],
              cells: rows.map((r) => r.slice(1).map((v) => ({value: v, suppressed: false}))), row_totals: [], col_totals: [], total: cell(0)};
  return section(t('sri'), {'data-testid': 'sri'}, hbarGroups(items, [t('sri_baseline'), t('sri_endline')], {title: t('sri'), max: 5}),
    htmlTable(tv, m));
}

function turnaroundSection(data, m) {
  const ta = data.anapec_turnaround_days || data.anapec_turnaround;
  if (!ta) return null;
  const byMonth = (ta.by_month || data.anapec_turnaround_by_month || []).map((x) => (Array.isArray(x) ? {month: x[0], ...x[1]} : x));
  const answers = cell(ta.answers);
  let text = t('turnaround_text', {m: ta.median_days, p: ta.p90_days ?? '—', n: answers.suppressed ? `<${m}` : ta.answers});
  if (ta.suppressed || (answers.suppressed && ta.median_days == null)) text = `<${m}`;
  else if (ta.median_days == null) text = '—';
  return section(t('turnaround'), {'data-testid': 'turnaround'},
    h('p', {class: 'big-number'}, ta.median_days == null || ta.suppressed ? '—' : t('days', {n: ta.median_days})), h('p', {}, text),
    byMonth.length > 1 ? line({x: byMonth.map((b) => b.month), series: [
      {name: 'médiane / median', values: byMonth.map((b) => b.median_days ?? null)},
      {name: 'p90', values: byMonth.map((b) => b.p90_days ?? null)}]}, {title: t('turnaround')}) : null);
}

function trendsSection(data, tables) {
  const monthly = tables.filter((tv) => /^(entered\.|placements\.month|outcomes\.month|anapec\.answers)/.test(tv.id));
  if (!monthly.length) return null;
  return section(t('trends'), {'data-testid': 'trends'}, h('div', {class: 'chart-grid'}, monthly.map((tv) => {
    const lab = labeler(tv.id);
    const byCols = tv.cols.length && (data.months || []).length && tv.cols[0] === data.months[0];
    const x = byCols ? tv.cols : tv.rows;
    const names = byCols ? tv.rows : tv.cols;
    const series = names.map((n, k) => ({name: byCols ? lab.row(n) : lab.col(n),
      values: x.map((_, i) => { const c = byCols ? tv.cells[k]?.[i] : tv.cells[i]?.[k]; return !c || c.suppressed ? null : c.value; })}));
    return h('figure', {class: 'chart-box'}, h('figcaption', {}, tableTitle(tv)), line({x, series: series.slice(0, 8)}, {title: tableTitle(tv)}));
  })));
}

export async function dashboardView(main) {
  const ui = {pathway: '', dim: 'sex'};
  const live = h('span', {class: 'live-badge', 'data-testid': 'live'});
  const body = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  fill(main, pageTitle(t('dashboard_title')), h('p', {class: 'muted'}, live), body);
  let position = 0;

  async function load(minPosition) {
    let data;
    try {
      data = await api(`/v1/dashboard${minPosition ? `?min_position=${minPosition}` : ''}`);
    } catch (e) {
      fill(body, problemBox(e, t('dashboard_title')));
      return;
    }
    position = data.position || position;
    const threshold = data.threshold || 5;
    const m = threshold;
    const tables = tablesOf(data);
    const scrollY = window.scrollY;
    fill(body, 
      h('p', {class: 'muted'}, t('dashboard_intro', {n: Math.max(1, threshold - 1), m}), ' ',
        h('span', {'data-testid': 'position'}, t('updated', {p: position}))),
      h('div', {class: 'dash-grid'}, targetSection(data, m), turnaroundSection(data, m)),
      funnelSection(tables, m), breakdownSection(tables, m, ui), sriSection(data, m), trendsSection(data, tables),
      data.cooperatives ? section(t('cooperatives'), {}, h('ul', {class: 'plain'},
        Object.entries(data.cooperatives).map(([k, v]) => h('li', {}, `${t(`coop_${k}`)} : ${fmtNumber(v)}`)))) : null,
      tables.length ? section(t('all_tables'), {'data-testid': 'all-tables'}, h('p', {class: 'muted small'}, t('suppressed_note', {m})),
        tables.map((tv) => h('details', {class: 'table-details'}, h('summary', {}, tableTitle(tv)), htmlTable(tv, m)))) : null);
    window.scrollTo(0, scrollY);
  }

  await load();
  let timer = null;
  session.stopEvents = followEvents((ev) => {
    const at = Number(ev.id || ev.data.position || 0);
    clearTimeout(timer);
    timer = setTimeout(() => load(at > position ? at : 0), 1200);
  }, (state) => { live.textContent = state === 'live' ? `● ${t('live')}` : `○ ${t('offline')}`; live.className = `live-badge ${state}`; });
}
