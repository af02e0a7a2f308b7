// Charts drawn as inline SVG, readable at a glance and by screen readers: each chart has a
// title and a text description, and its numbers are also in a table beside it.
//
//   hbar([{label: 'Femme', value: 12}, {label: 'Homme', value: 0, suppressed: true}], {title, note})
//   line({x: ['2026-01', …], series: [{name: 'Inscrits', values: [3, 5, …]}]}, {title})

import {newId, s} from './dom.js';
import {fmtNumber} from './i18n.js';

const PALETTE = ['#0b5563', '#c0541b', '#5b4a9e', '#2f7d32', '#a3264d', '#6b5e00', '#1c5fa8', '#7a4a1e'];

function svgRoot(width, height, title, desc) {
  const titleId = newId('chart-title');
  const descId = newId('chart-desc');
  return s('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
                   class: 'chart', preserveAspectRatio: 'xMinYMin meet'},
           s('title', {id: titleId}, title), s('desc', {id: descId}, desc));
}

function shorten(text, n) {
  text = String(text);
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

// Horizontal bars: one row per item; suppressed items show "<N" and no bar.
export function hbar(items, {title = '', threshold = 5, max} = {}) {
  const rowH = 28;
  const labelW = 190;
  const width = 560;
  const barW = width - labelW - 70;
  const height = Math.max(rowH * items.length + 8, 40);
  const top = max ?? Math.max(1, ...items.map((i) => (i.suppressed ? 0 : i.value || 0)));
  const desc = items.map((i) => `${i.label}: ${i.suppressed ? `<${threshold}` : i.value}`).join('; ');
  const svg = svgRoot(width, height, title, desc);
  items.forEach((item, k) => {
    const y = 4 + k * rowH;
    const w = item.suppressed ? 0 : Math.round((barW * (item.value || 0)) / top);
    svg.append(
      s('text', {x: labelW - 8, y: y + rowH / 2 + 5, 'text-anchor': 'end', class: 'chart-label'}, shorten(item.label, 26)),
      s('rect', {x: labelW, y: y + 4, width: Math.max(w, item.value ? 2 : 0), height: rowH - 10, rx: 3,
                 fill: item.color || PALETTE[0]}),
      s('text', {x: labelW + w + 6, y: y + rowH / 2 + 5, class: item.suppressed ? 'chart-value suppressed' : 'chart-value'},
        item.suppressed ? `<${threshold}` : fmtNumber(item.value || 0)));
  });
  return svg;
}

// Grouped horizontal bars: for each item, one bar per series (e.g. SRI baseline vs endline).
export function hbarGroups(items, seriesNames, {title = '', max} = {}) {
  const groupH = 14 * seriesNames.length + 14;
  const labelW = 190;
  const width = 560;
  const barW = width - labelW - 60;
  const legendH = 24;
  const height = legendH + groupH * items.length + 6;
  const top = max ?? Math.max(1, ...items.flatMap((i) => i.values.map((v) => v ?? 0)));
  const desc = items.map((i) => `${i.label}: ${i.values.map((v, k) => `${seriesNames[k]} ${v ?? '—'}`).join(', ')}`).join('; ');
  const svg = svgRoot(width, height, title, desc);
  seriesNames.forEach((name, k) => {
    svg.append(s('rect', {x: labelW + k * 120, y: 4, width: 12, height: 12, fill: PALETTE[k]}),
               s('text', {x: labelW + k * 120 + 18, y: 15, class: 'chart-label'}, name));
  });
  items.forEach((item, g) => {
    const y0 = legendH + g * groupH;
    svg.append(s('text', {x: labelW - 8, y: y0 + groupH / 2 + 3, 'text-anchor': 'end', class: 'chart-label'}, shorten(item.label, 26)));
    item.values.forEach((v, k) => {
      const w = v == null ? 0 : Math.round((barW * v) / top);
      const y = y0 + 4 + k * 14;
      svg.append(s('rect', {x: labelW, y, width: w, height: 11, rx: 2, fill: PALETTE[k]}),
                 s('text', {x: labelW + w + 5, y: y + 10, class: 'chart-value small'}, v == null ? '—' : fmtNumber(v)));
    });
  });
  return svg;
}

// Lines over a shared x axis (months). Null values break the line.
export function line({x, series}, {title = ''} = {}) {
  const width = 560;
  const height = 220;
  const pad = {l: 40, r: 12, t: 12, b: 46};
  const w = width - pad.l - pad.r;
  const hgt = height - pad.t - pad.b;
  const top = Math.max(1, ...series.flatMap((sr) => sr.values.filter((v) => v != null)));
  const desc = series.map((sr) => `${sr.name}: ${sr.values.map((v, i) => `${x[i]} ${v ?? '—'}`).join(', ')}`).join('; ');
  const svg = svgRoot(width, height, title, desc);
  const px = (i) => pad.l + (x.length <= 1 ? w / 2 : (w * i) / (x.length - 1));
  const py = (v) => pad.t + hgt - (hgt * v) / top;
  for (let k = 0; k <= 4; k++) {
    const v = (top * k) / 4;
    svg.append(s('line', {x1: pad.l, x2: width - pad.r, y1: py(v), y2: py(v), class: 'grid'}),
               s('text', {x: pad.l - 6, y: py(v) + 4, 'text-anchor': 'end', class: 'chart-axis'}, fmtNumber(Math.round(v))));
  }
  const every = Math.max(1, Math.ceil(x.length / 8));
  x.forEach((label, i) => {
    if (i % every === 0 || i === x.length - 1) {
      const anchor = x.length > 1 && i === x.length - 1 ? 'end' : x.length > 1 && i === 0 ? 'start' : 'middle';
      svg.append(s('text', {x: px(i), y: height - pad.b + 16, 'text-anchor': anchor, class: 'chart-axis'}, label));
    }
  });
  series.forEach((sr, k) => {
    let d = '';
    let pen = false;
    sr.values.forEach((v, i) => {
      if (v == null) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${px(i).toFixed(1)},${py(v).toFixed(1)} `;
      pen = true;
    });
    const color = PALETTE[k % PALETTE.length];
    svg.append(s('path', {d, fill: 'none', stroke: color, 'stroke-width': 2.5}));
    sr.values.forEach((v, i) => { if (v != null && x.length <= 24) svg.append(s('circle', {cx: px(i), cy: py(v), r: 3, fill: color})); });
  });
  // Legend under the axis.
  let lx = pad.l;
  series.forEach((sr, k) => {
    svg.append(s('rect', {x: lx, y: height - 16, width: 12, height: 12, fill: PALETTE[k % PALETTE.length]}),
               s('text', {x: lx + 16, y: height - 6, class: 'chart-label'}, shorten(sr.name, 22)));
    lx += 30 + Math.min(22, sr.name.length) * 7;
  });
  return svg;
}

// A progress bar toward a target.
export function progress(value, target, {title = ''} = {}) {
  const width = 560;
  const height = 36;
  const frac = target > 0 ? Math.min(1, value / target) : 0;
  const svg = svgRoot(width, height, title, `${value} / ${target}`);
  svg.append(s('rect', {x: 0, y: 6, width, height: 24, rx: 12, class: 'track'}),
             s('rect', {x: 0, y: 6, width: Math.max(frac * width, value ? 12 : 0), height: 24, rx: 12, fill: PALETTE[3]}),
             s('text', {x: width / 2, y: 23, 'text-anchor': 'middle', class: 'chart-progress'},
               `${fmtNumber(value)} / ${fmtNumber(target)} (${Math.round(frac * 100)} %)`));
  return svg;
}
