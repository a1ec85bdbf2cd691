// The dashboard's stylesheet, served by the control plane at /dashboard/app.css (no CDN). A
// TypeScript string so `tsc` ships it in dist/ with the rest of the code.
export const DASHBOARD_CSS = `
:root {
  --bg: #f4f6f9; --panel: #ffffff; --text: #1b2330; --muted: #5d6878; --line: #e2e6ec;
  --ok: #1a8f4c; --ok-bg: #e3f5ea; --warn: #a86200; --warn-bg: #fdf0d9; --bad: #c62828; --bad-bg: #fde4e4;
  --none: #c9ced6; --accent: #3552c8; --shadow: 0 1px 2px rgba(20, 30, 50, .06), 0 2px 8px rgba(20, 30, 50, .05);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11151c; --panel: #1a2029; --text: #e5e9f0; --muted: #99a3b3; --line: #2a323e;
    --ok: #4cc683; --ok-bg: #17352a; --warn: #f0b04a; --warn-bg: #3a2c12; --bad: #ff6b6b; --bad-bg: #3e1d1f;
    --none: #3a4350; --accent: #8aa2ff; --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, .ep-url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--accent); }
.top {
  position: sticky; top: 0; z-index: 2; display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 10px 20px; background: var(--panel); border-bottom: 1px solid var(--line);
}
.brand { font-weight: 650; font-size: 17px; letter-spacing: .2px; }
.brand .logo { color: var(--accent); }
.brand .sub { font-weight: 400; color: var(--muted); font-size: 14px; margin-left: 4px; }
.live { display: inline-flex; align-items: center; gap: 7px; color: var(--muted); font-size: 13px; white-space: nowrap; }
.live .dot { width: 9px; height: 9px; border-radius: 50%; background: var(--none); }
.live[data-state="live"] .dot { background: var(--ok); box-shadow: 0 0 0 3px var(--ok-bg); }
.live[data-state="reconnecting"] .dot { background: var(--warn); box-shadow: 0 0 0 3px var(--warn-bg); }
main { max-width: 1180px; margin: 0 auto; padding: 18px 20px 8px; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 18px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; box-shadow: var(--shadow); border-top: 3px solid var(--line); }
.tile[data-state="ok"] { border-top-color: var(--ok); }
.tile[data-state="warn"] { border-top-color: var(--warn); }
.tile[data-state="bad"] { border-top-color: var(--bad); }
.tile-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .5px; }
.tile-value { font-size: 22px; font-weight: 600; margin-top: 2px; overflow-wrap: anywhere; }
.tile-value code { font-size: 16px; }
.tile-value small { font-size: 13px; color: var(--warn); font-weight: 500; }
.clusters { display: grid; gap: 14px; }
.cluster, .planes { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; box-shadow: var(--shadow); overflow: hidden; }
.cluster { border-left: 4px solid var(--ok); }
.cluster[data-state="warn"] { border-left-color: var(--warn); }
.cluster[data-state="bad"] { border-left-color: var(--bad); }
.cluster-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 12px 16px; border-bottom: 1px solid var(--line); }
.cluster-head h2, .planes h2 { margin: 0; font-size: 16px; font-weight: 650; }
.planes h2 { padding: 12px 16px; border-bottom: 1px solid var(--line); }
.planes { margin-top: 14px; }
.tag { font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 1px 9px; }
.cluster-count { margin-left: auto; font-size: 13px; font-weight: 600; color: var(--ok); }
.cluster-count[data-state="warn"] { color: var(--warn); }
.cluster-count[data-state="bad"] { color: var(--bad); }
table { width: 100%; border-collapse: collapse; }
table.endpoints { table-layout: fixed; }
.endpoints th:nth-child(1) { width: 30%; }
.endpoints th:nth-child(2) { width: 15%; }
.endpoints th:nth-child(3) { width: 21%; }
.endpoints th:nth-child(4) { width: 12%; }
.endpoints th:nth-child(5) { width: 22%; }
th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .4px; padding: 8px 16px; }
td { padding: 9px 16px; border-top: 1px solid var(--line); vertical-align: middle; }
.ep-name { font-weight: 600; }
.ep-url { color: var(--muted); overflow-wrap: anywhere; }
.pill { display: inline-flex; align-items: center; gap: 4px; border-radius: 999px; padding: 2px 10px; font-size: 12.5px; font-weight: 600; background: var(--bg); color: var(--muted); white-space: nowrap; }
.status[data-status="healthy"], .pill[data-state="ok"] { background: var(--ok-bg); color: var(--ok); }
.status[data-status="unhealthy"], .pill-ejected { background: var(--bad-bg); color: var(--bad); }
.pill[data-state="warn"] { background: var(--warn-bg); color: var(--warn); }
.endpoint.flash td { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: var(--warn-bg); } to { background: transparent; } }
.latency { display: inline-block; min-width: 64px; font-variant-numeric: tabular-nums; }
.spark { vertical-align: middle; overflow: visible; }
.spark-line { fill: none; stroke: var(--accent); stroke-width: 1.5; stroke-linejoin: round; }
.spark-area { fill: var(--accent); opacity: .12; }
.spark-dot { fill: var(--accent); }
.spark-bad { fill: var(--bad); opacity: .22; }
.avail { display: inline-block; min-width: 64px; font-weight: 600; font-variant-numeric: tabular-nums; }
.avail[data-state="ok"] { color: var(--ok); }
.avail[data-state="warn"] { color: var(--warn); }
.avail[data-state="bad"] { color: var(--bad); }
.avail[data-state="none"] { color: var(--muted); font-weight: 400; }
.strip { vertical-align: middle; }
.bar-none { fill: var(--none); opacity: .55; }
.bar-ok { fill: var(--ok); }
.bar-warn { fill: var(--warn); }
.bar-bad { fill: var(--bad); }
time { font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty { padding: 12px 16px; margin: 0; color: var(--muted); }
.note, .generated { color: var(--muted); font-size: 12.5px; max-width: 900px; }
.note { margin-top: 16px; }
.foot { max-width: 1180px; margin: 0 auto; padding: 4px 20px 24px; color: var(--muted); font-size: 12.5px; }
@media (max-width: 720px) {
  .top { padding: 10px 14px; }
  main { padding: 12px 12px 4px; }
  .summary { grid-template-columns: repeat(2, 1fr); }
  .tile-value { font-size: 19px; }
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tr { padding: 8px 0; border-top: 1px solid var(--line); }
  td { display: flex; align-items: center; justify-content: space-between; gap: 12px; border: 0; padding: 4px 14px; }
  td::before { content: attr(data-label); color: var(--muted); font-size: 12px; flex: none; }
  td > :first-child { margin-left: auto; }
  td[data-label="Endpoint"] { display: block; }
  td[data-label="Endpoint"]::before { display: none; }
  td[data-label="Endpoint"] > :first-child { margin-left: 0; }
  .latency, .avail { min-width: 0; margin-right: 6px; }
}
`;
