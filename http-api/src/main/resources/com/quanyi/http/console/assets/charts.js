'use strict';
// Charts drawn as SVG by the console itself (nothing loaded from elsewhere). Text goes in through
// textContent only: names and ids come from the API.
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const COLOURS = ['#2f6fde', '#e0662f', '#2aa876', '#b23fc4', '#d4a017', '#d23c5a', '#4aa3c7', '#7a7a7a'];

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(NS, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => el.setAttribute(k, String(v)));
    if (parent) parent.appendChild(el);
    return el;
  }

  function legend(series) {
    const box = document.createElement('div');
    box.className = 'legend';
    series.forEach((s, i) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = COLOURS[i % COLOURS.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name + ' ' + s.last));
      box.appendChild(item);
    });
    return box;
  }

  /** series: [{name, points: [numbers, oldest first]}]; one line each over the same time axis. */
  function lines(container, series, unit) {
    container.replaceChildren();
    const width = 480, height = 160, pad = 28;
    const all = series.flatMap(s => s.points);
    const max = Math.max(1, ...all);
    const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, height, preserveAspectRatio: 'xMinYMin meet',
      class: 'chart', role: 'img'});
    svg('line', {x1: pad, y1: height - pad, x2: width, y2: height - pad, class: 'axis'}, root);
    const top = svg('text', {x: 2, y: 12, class: 'tick'}, root);
    top.textContent = format(max) + (unit || '');
    const zero = svg('text', {x: 2, y: height - pad, class: 'tick'}, root);
    zero.textContent = '0';
    series.forEach((s, i) => {
      const n = s.points.length;
      if (n < 2) return;
      const d = s.points.map((p, j) => {
        const x = pad + (width - pad) * j / (n - 1);
        const y = (height - pad) - (height - pad - 10) * p / max;
        return (j ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }).join(' ');
      svg('path', {d, fill: 'none', stroke: COLOURS[i % COLOURS.length], 'stroke-width': 2}, root);
    });
    container.appendChild(root);
    container.appendChild(legend(series.map(s => ({name: s.name, last: format(s.points[s.points.length - 1] || 0)}))));
  }

  /** bars: [{label, value}], drawn horizontally, largest first. */
  function bars(container, bars, valueText) {
    container.replaceChildren();
    if (!bars.length) {
      const empty = document.createElement('p');
      empty.className = 'muted';
      empty.textContent = I18n.t('none');
      container.appendChild(empty);
      return;
    }
    const sorted = [...bars].sort((a, b) => b.value - a.value).slice(0, 10);
    const max = Math.max(1, ...sorted.map(b => Math.abs(b.value)));
    const rowHeight = 22, width = 480, labelWidth = 150;
    // Drawn at its own size, not stretched to the card's width: one bar must not fill the page.
    const height = rowHeight * sorted.length + 4;
    const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, height, preserveAspectRatio: 'xMinYMin meet',
      class: 'chart', role: 'img'});
    sorted.forEach((b, i) => {
      const y = i * rowHeight + 2;
      const label = svg('text', {x: 0, y: y + 15, class: 'label'}, root);
      label.textContent = b.label.length > 22 ? b.label.slice(0, 21) + '…' : b.label;
      const w = Math.max(1, (width - labelWidth - 90) * Math.abs(b.value) / max);
      svg('rect', {x: labelWidth, y, width: w, height: rowHeight - 6, fill: COLOURS[i % COLOURS.length]}, root);
      const value = svg('text', {x: labelWidth + w + 4, y: y + 15, class: 'value'}, root);
      value.textContent = valueText ? valueText(b.value) : format(b.value);
    });
    container.appendChild(root);
  }

  function format(n) {
    return Math.abs(n) >= 100 ? Math.round(n).toLocaleString() : (Math.round(n * 10) / 10).toLocaleString();
  }

  return {lines, bars, format};
})();
