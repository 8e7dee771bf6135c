// Charts drawn by hand as inline SVG: grouped columns (by month) and horizontal rate bars with the
// plan's target band. Colours come from app.css classes; every chart is an image with a text
// alternative, and the figures are in a table beside it.

const NS = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag @param {Record<string, string | number | null>} [attrs] @param {...(Node | string | null)} children
 * @returns {SVGElement}
 */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** A rounded tick step: 1, 2, 5 × 10^n, giving about `n` ticks up to `max`. @param {number} max @param {number} [n] */
export function niceStep(max, n = 4) {
  if (max <= 0) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** @param {string} label @param {SVGElement} svg */
function img(label, svg) {
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.prepend(s('title', {}, label));
  return svg;
}

/**
 * Grouped columns: one group per category (a month), one column per series.
 * @param {string} label the text alternative
 * @param {string[]} groups @param {Array<{name: string, values: number[], cls: string}>} series
 */
export function columns(label, groups, series) {
  // Drawn small: on a 360 px phone the text stays readable, and app.css caps the width on a laptop.
  const W = 420;
  const H = 200;
  const left = 28;
  const bottom = 24;
  const top = 8;
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const step = niceStep(max);
  const ceil = Math.ceil(max / step) * step;
  const y = (/** @type {number} */ v) => top + (H - top - bottom) * (1 - v / ceil);
  const gw = (W - left) / Math.max(1, groups.length);
  const bw = Math.max(2, (gw * 0.8) / series.length);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', preserveAspectRatio: 'xMidYMid meet' });
  for (let v = 0; v <= ceil; v += step) {
    svg.appendChild(s('line', { x1: left, x2: W, y1: y(v), y2: y(v), class: 'grid' }));
    svg.appendChild(s('text', { x: left - 4, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, String(v)));
  }
  groups.forEach((g, i) => {
    const x0 = left + i * gw + gw * 0.1;
    series.forEach((ser, k) => {
      const v = ser.values[i] || 0;
      svg.appendChild(s('rect', { x: x0 + k * bw, y: y(v), width: bw - 1, height: Math.max(0, y(0) - y(v)), class: ser.cls }, s('title', {}, `${g}: ${ser.name} ${v}`)));
    });
    svg.appendChild(s('text', { x: left + i * gw + gw / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, g));
  });
  return img(label, svg);
}

/**
 * Horizontal bars of rates (0..1) with the target band shaded and an optional own target line.
 * @param {string} label @param {Array<{name: string, value: number | null, note?: string}>} rows
 * @param {{band?: [number, number], target?: number | null}} [o]
 */
export function rateBars(label, rows, o = {}) {
  const W = 420;
  const rowH = 30;
  const nameW = 150;
  const H = rows.length * rowH + 22;
  const x = (/** @type {number} */ v) => nameW + (W - nameW - 52) * Math.max(0, Math.min(1, v));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', preserveAspectRatio: 'xMidYMid meet' });
  const band = o.band || [0.9, 0.95];
  svg.appendChild(s('rect', { x: x(band[0]), y: 0, width: Math.max(2, x(band[1]) - x(band[0])), height: H - 20, class: 'band' }));
  for (const v of [0, 0.5, 1]) svg.appendChild(s('text', { x: x(v), y: H - 4, class: 'tick', 'text-anchor': 'middle' }, `${v * 100}%`));
  svg.appendChild(s('text', { x: x(band[0]), y: H - 4, class: 'tick band-label', 'text-anchor': 'end' }, `${band[0] * 100}`));
  rows.forEach((r, i) => {
    const yy = i * rowH + 6;
    svg.appendChild(s('text', { x: nameW - 6, y: yy + 15, class: 'name', 'text-anchor': 'end' }, r.name.length > 20 ? r.name.slice(0, 19) + '…' : r.name, s('title', {}, r.name)));
    if (r.value === null) {
      svg.appendChild(s('text', { x: nameW + 4, y: yy + 15, class: 'tick' }, r.note || '—'));
      return;
    }
    const cls = r.value >= band[0] ? 'ok' : 'low';
    svg.appendChild(s('rect', { x: nameW, y: yy, width: Math.max(1, x(r.value) - nameW), height: rowH - 10, class: `hbar ${cls}` }));
    // The figure in its own column at the right, never over a bar or the band.
    svg.appendChild(s('text', { x: W - 2, y: yy + 15, class: 'value', 'text-anchor': 'end' }, `${(r.value * 100).toFixed(1)}%`));
  });
  if (o.target !== null && o.target !== undefined) svg.appendChild(s('line', { x1: x(o.target), x2: x(o.target), y1: 0, y2: H - 20, class: 'target' }));
  return img(label, svg);
}

/**
 * One progress bar (a coverage against 100 %), with the target band.
 * @param {string} label @param {number} value @param {number} max @param {{band?: [number, number]}} [o]
 */
export function bar(label, value, max, o = {}) {
  return rateBars(label, [{ name: label, value: max ? value / max : 0 }], { band: o.band || [1, 1] });
}
