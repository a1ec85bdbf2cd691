// The dashboard's browser script, served at /dashboard/app.js (no CDN, no build step). The page is
// complete without it; with it:
//   - one EventSource on /api/events: a `health` event patches its endpoint row at once;
//   - a `snapshot` event (or a reconnect, which may have missed events) schedules one fetch of
//     /dashboard/content, the server-rendered <main>, at most every REFRESH_GAP_MS (no polling
//     storm; a thousand endpoints flipping together cost one fetch);
//   - a slow refresh every IDLE_REFRESH_MS while the tab is visible keeps availability and
//     sparklines moving when nothing changes;
//   - "last check" times are shown relative ("3 s ago"), recomputed every second in place;
//   - the browser's own EventSource retry, plus a manual reconnect with backoff if the stream is
//     closed for good (e.g. the control plane answered an error while restarting).
// Written as plain ES2017 in a string (no template literals inside) so tsc ships it in dist/.
export const DASHBOARD_JS = String.raw`(function () {
  'use strict';
  var REFRESH_GAP_MS = 3000;
  var IDLE_REFRESH_MS = 10000;
  var content = document.getElementById('content');
  var live = document.getElementById('live');
  var liveText = document.getElementById('live-text');
  if (!content || !live || !liveText || !window.EventSource) return;

  var seenVersion = Number(content.getAttribute('data-snapshot-version')) || 0;
  var lastRefresh = Date.now();
  var refreshTimer = null;
  var refreshing = false;
  var source = null;
  var backoffMs = 1000;
  var wasDown = false;

  function setLive(state, text) {
    live.setAttribute('data-state', state);
    liveText.textContent = text;
  }

  function formatMs(ms) {
    if (!(ms > 0)) return '\u2013';
    return ms < 10 ? ms.toFixed(2) + ' ms' : ms < 100 ? ms.toFixed(1) + ' ms' : Math.round(ms) + ' ms';
  }

  function ago(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) return null;
    var s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    return Math.floor(s / 3600) + ' h ago';
  }

  function tickTimes() {
    var times = content.querySelectorAll('time.last-check[datetime]');
    for (var i = 0; i < times.length; i++) {
      var text = ago(times[i].getAttribute('datetime'));
      if (text !== null && times[i].textContent !== text) {
        times[i].textContent = text;
        times[i].title = times[i].getAttribute('datetime');
      }
    }
  }

  function findRow(cluster, endpoint) {
    var key = cluster + '/' + endpoint;
    var rows = content.querySelectorAll('tr.endpoint');
    for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-endpoint') === key) return rows[i];
    return null;
  }

  function setCount(name, value) {
    var el = content.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = String(value);
  }

  function recount() {
    var counts = { healthy: 0, unhealthy: 0, unknown: 0 };
    var rows = content.querySelectorAll('tr.endpoint');
    for (var i = 0; i < rows.length; i++) {
      var s = rows[i].getAttribute('data-status');
      if (counts[s] !== undefined) counts[s]++;
    }
    setCount('healthy', counts.healthy);
    setCount('unhealthy', counts.unhealthy);
    setCount('unknown', counts.unknown);
    var clusters = content.querySelectorAll('article.cluster');
    for (var c = 0; c < clusters.length; c++) {
      var all = clusters[c].querySelectorAll('tr.endpoint');
      var ok = clusters[c].querySelectorAll('tr.endpoint[data-status="healthy"]').length;
      var state = ok === all.length ? 'ok' : ok === 0 ? 'bad' : 'warn';
      clusters[c].setAttribute('data-state', state);
      var count = clusters[c].querySelector('.cluster-count');
      if (count) count.setAttribute('data-state', state);
      var n = clusters[c].querySelector('[data-cluster-healthy]');
      if (n) n.textContent = String(ok);
    }
  }

  function onHealth(event) {
    var d;
    try { d = JSON.parse(event.data); } catch (e) { return; }
    var row = findRow(d.cluster, d.endpoint);
    if (!row) { scheduleRefresh(); return; }
    row.setAttribute('data-status', d.status);
    var pill = row.querySelector('.status');
    if (pill) {
      pill.setAttribute('data-status', d.status);
      var mark = pill.querySelector('.mark');
      if (mark) mark.textContent = d.status === 'healthy' ? '\u25CF' : d.status === 'unhealthy' ? '\u2715' : '?';
      var text = pill.querySelector('.status-text');
      if (text) text.textContent = d.status;
    }
    var latency = row.querySelector('.latency');
    if (latency && d.latencyMs > 0) latency.textContent = formatMs(d.latencyMs);
    var time = row.querySelector('time.last-check');
    if (time && d.at) { time.setAttribute('datetime', d.at); time.textContent = ago(d.at) || d.at; }
    row.classList.remove('flash');
    void row.offsetWidth; // restart the animation
    row.classList.add('flash');
    recount();
  }

  function onSnapshot(event) {
    try {
      var v = JSON.parse(event.data).version;
      if (typeof v === 'number' && v > seenVersion) seenVersion = v;
    } catch (e) { /* ignore */ }
    scheduleRefresh();
  }

  function scheduleRefresh() {
    if (refreshTimer !== null) return;
    var wait = Math.max(250, lastRefresh + REFRESH_GAP_MS - Date.now());
    refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, wait);
  }

  function refresh() {
    if (refreshing) { scheduleRefresh(); return; }
    refreshing = true;
    lastRefresh = Date.now();
    fetch('/dashboard/content', { cache: 'no-store', headers: { accept: 'text/html' } }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      var version = Number(res.headers.get('x-portico-snapshot-version')) || 0;
      return res.text().then(function (html) {
        // An answer older than a version already announced would undo a live patch: try again.
        if (version < seenVersion) { scheduleRefresh(); return; }
        content.innerHTML = html;
        content.setAttribute('data-snapshot-version', String(version));
        tickTimes();
      });
    }).catch(function () { /* the next event or the idle timer tries again */ }).then(function () {
      refreshing = false;
    });
  }

  function connect() {
    source = new EventSource('/api/events');
    source.addEventListener('open', function () {
      backoffMs = 1000;
      setLive('live', 'live');
      if (wasDown) { wasDown = false; scheduleRefresh(); }
    });
    source.addEventListener('health', onHealth);
    source.addEventListener('snapshot', onSnapshot);
    source.addEventListener('error', function () {
      wasDown = true;
      if (source.readyState === EventSource.CLOSED) {
        setLive('reconnecting', 'reconnecting in ' + Math.round(backoffMs / 1000) + ' s');
        source.close();
        setTimeout(connect, backoffMs);
        backoffMs = Math.min(backoffMs * 2, 30000);
      } else {
        setLive('reconnecting', 'reconnecting\u2026');
      }
    });
  }

  setLive('reconnecting', 'connecting\u2026');
  connect();
  tickTimes();
  setInterval(tickTimes, 1000);
  setInterval(function () {
    if (document.visibilityState === 'visible' && Date.now() - lastRefresh >= IDLE_REFRESH_MS) refresh();
  }, 5000);
})();
`;
