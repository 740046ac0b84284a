// Breakwater built-in dashboard: polls /dashboard/data and draws the key panels of
// dashboards/breakwater.json with Chart.js. No build step, no CDN.
(() => {
  'use strict';
  const POLL_MS = 2000;
  const MAX_POINTS = 450;
  // The same thresholds as the BreakwaterRetryStorm alert in dashboards/alerts.yaml.
  const STORM_RATIO = 0.5;
  const STORM_MIN_RETRY_RATE = 1;
  const COLORS = ['#4c9be8', '#57ab5a', '#e0b341', '#e5534b', '#b083f0', '#39c5cf', '#f69d50', '#d2a8ff',
    '#8ddb8c', '#ff938a', '#96d0ff', '#c69026'];
  const STATUS_CLASS_COLORS = { '2xx': '#57ab5a', '3xx': '#4c9be8', '4xx': '#e0b341', '5xx': '#e5534b' };

  const points = [];
  let since = 0;
  const charts = {};

  const sumWhere = (map, keep) => Object.entries(map || {}).reduce((s, [k, v]) => s + (keep(k) ? v : 0), 0);
  const statusClasses = (status) => {
    const out = {};
    for (const [code, rate] of Object.entries(status || {})) {
      const cls = code[0] + 'xx';
      out[cls] = (out[cls] || 0) + rate;
    }
    return out;
  };
  const prefixed = (map, prefix) => Object.fromEntries(Object.entries(map || {}).map(([k, v]) => [prefix + k, v]));

  // Each panel: how to turn one point into named series; `gaps` keeps missing values as gaps, not zeros.
  const PANELS = {
    'status-class': { series: (p) => statusClasses(p.status), colors: STATUS_CLASS_COLORS },
    'errors': { series: (p) => Object.fromEntries(Object.entries(p.status || {}).filter(([code]) => code >= '400')) },
    'throttled': { series: (p) => ({ ...prefixed(p.throttled, '429 '), '503 shed': p.shed }) },
    'latency': { series: (p) => p.p99_ms, gaps: true },
    'idempotency': { series: (p) => p.idempotency },
    'storm': { series: (p) => ({ 'retry-storm ratio': p.storm_ratio, 'alert threshold': STORM_RATIO }) },
    'processor': { series: (p) => p.processor },
    'saturation': { series: (p) => ({ 'in flight': p.in_flight, 'db connections active': p.db_active,
      'db pool max': p.db_max }) },
  };

  function label(t) {
    return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
  }

  function render(id, panel) {
    const section = document.querySelector(`[data-panel="${id}"]`);
    const perPoint = points.map((p) => panel.series(p) || {});
    const names = [...new Set(perPoint.flatMap((s) => Object.keys(s)))].sort();
    let chart = charts[id];
    if (!chart) {
      chart = new Chart(section.querySelector('canvas'), {
        type: 'line',
        data: { labels: [], datasets: [] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, spanGaps: false,
          interaction: { mode: 'index', intersect: false },
          elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0.2 } },
          scales: {
            x: { ticks: { color: '#8a96a3', maxTicksLimit: 6, maxRotation: 0 }, grid: { color: '#26313c' } },
            y: { beginAtZero: true, ticks: { color: '#8a96a3' }, grid: { color: '#26313c' } },
          },
          plugins: { legend: { position: 'right', labels: { color: '#e6e6e6', boxWidth: 10, font: { size: 11 } } } },
        },
      });
      charts[id] = chart;
    }
    chart.data.labels = points.map((p) => label(p.t));
    const byName = Object.fromEntries(chart.data.datasets.map((d) => [d.label, d]));
    chart.data.datasets = names.map((name, i) => {
      const color = (panel.colors && panel.colors[name]) || COLORS[i % COLORS.length];
      const dataset = byName[name] || { label: name, borderColor: color, backgroundColor: color };
      if (name === 'alert threshold') {
        dataset.borderDash = [6, 4];
        dataset.borderColor = dataset.backgroundColor = '#e5534b';
      }
      dataset.data = perPoint.map((s) => (s[name] === undefined ? (panel.gaps ? null : 0) : s[name]));
      return dataset;
    });
    chart.update('none');
    section.dataset.rendered = 'true';
    section.dataset.series = String(names.length);
    section.dataset.points = String(points.length);
  }

  function fmt(value, digits = 1) {
    return value === undefined || value === null || Number.isNaN(value) ? '-' : value.toFixed(digits);
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function renderSummary(data) {
    const totals = data.totals || {};
    const total = (prefix) => sumWhere(totals, (k) => k.startsWith(prefix));
    setText('total-requests', String(total('status:')));
    for (const outcome of ['new', 'replayed', 'resumed', 'conflict', 'mismatch']) {
      setText(`total-${outcome}`, String(totals[`idempotency:${outcome}`] || 0));
    }
    setText('total-throttled', String(total('throttled:')));
    setText('total-shed', String(totals.shed || 0));
    setText('total-5xx', String(total('status:5')));
    const last = points[points.length - 1];
    if (!last) {
      return;
    }
    const status = last.status || {};
    setText('tile-storm', fmt(last.storm_ratio, 2));
    setText('tile-rps', fmt(sumWhere(status, () => true)));
    setText('tile-5xx', fmt(sumWhere(status, (k) => k.startsWith('5'))));
    setText('tile-429', fmt(status['429'] || 0));
    setText('tile-inflight', String(last.in_flight));
    setText('tile-db', `${last.db_active} / ${last.db_max}`);
    const storm = last.storm_ratio > STORM_RATIO && last.retry_rate > STORM_MIN_RETRY_RATE;
    const verdict = document.getElementById('verdict');
    verdict.textContent = storm ? 'RETRY STORM: see runbook' : 'normal';
    verdict.className = 'verdict ' + (storm ? 'storm' : 'ok');
  }

  const DAY_MS = 86400000;
  const utc = (iso) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

  // Who still calls v1: each account's requests per version from breakwater_api_requests_total.
  function renderVersions(versions) {
    if (!versions) {
      return;
    }
    const sunset = versions.sunset;
    if (!sunset) {
      setText('v1-sunset', 'v1 is not deprecated: no sunset configured.');
    } else {
      const left = Date.parse(sunset.sunset_at) - Date.now();
      const when = left > 0 ? `in ${Math.ceil(left / DAY_MS)} days` : `passed: /${sunset.version} answers 410`;
      setText('v1-sunset', `${sunset.version} sunset ${utc(sunset.sunset_at)} (${when}); deprecated since `
        + `${utc(sunset.deprecated_at)}. Accounts calling ${sunset.version} must move to ${sunset.successor} before then.`);
    }
    for (const since of document.querySelectorAll('#versions .since')) {
      since.textContent = `since ${label(versions.since)}`;
    }
    const rows = versions.accounts.map((a) => {
      const tr = document.createElement('tr');
      tr.dataset.account = a.account;
      const state = a.recent.v1 > 0 ? 'calls v1: must migrate'
        : a.total.v1 > 0 ? 'no v1 recently' : a.total.v2 > 0 ? 'v2 only' : 'no traffic';
      tr.className = a.recent.v1 > 0 ? 'calls-v1' : '';
      const cells = [[a.account], [a.recent.v1, 'v1'], [a.recent.v2, 'v2'], [a.total.v1, 'v1-total'],
        [a.total.v2, 'v2-total'], [state]];
      for (const [value, name] of cells) {
        const td = document.createElement('td');
        if (name) {
          td.dataset.calls = name;
        }
        td.textContent = String(value);
        tr.appendChild(td);
      }
      return tr;
    });
    document.getElementById('versions-rows').replaceChildren(...rows);
  }

  async function poll() {
    try {
      const response = await fetch(`/dashboard/data?since=${since}`, { cache: 'no-store' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const data = await response.json();
      for (const point of data.points) {
        points.push(point);
        since = point.t;
      }
      points.splice(0, Math.max(0, points.length - MAX_POINTS));
      for (const [id, panel] of Object.entries(PANELS)) {
        render(id, panel);
      }
      renderSummary(data);
      renderVersions(data.api_versions);
      setText('updated', `updated ${label(Date.now())}, ${points.length} points`);
      document.body.dataset.state = 'live';
    } catch (error) {
      setText('updated', `update failed: ${error.message}`);
      document.body.dataset.state = 'error';
    }
  }

  poll();
  setInterval(poll, POLL_MS);
})();
