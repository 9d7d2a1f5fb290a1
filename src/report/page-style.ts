// The report page's stylesheet, inlined into the HTML (system fonts only: nothing to fetch).

export const PAGE_STYLE = `
:root { --fg: #1d2330; --muted: #5b6472; --line: #dde2ea; --bg: #fff; --panel: #f6f8fb; --accent: #3b7dd8;
  --ins: #dff5e1; --ins-fg: #135c1f; --del: #fbe1e1; --del-fg: #8a1c1c; --warn: #fff4d6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 24px; border-bottom: 1px solid var(--line); display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
main { padding: 0 24px 40px; }
h2 { font-size: 16px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.runs { display: flex; gap: 16px; flex-wrap: wrap; }
.run { flex: 1 1 420px; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; background: var(--panel); min-width: 0; }
.run h3 { margin-top: 0; }
table.kv { border-collapse: collapse; width: 100%; }
table.kv th { text-align: left; font-weight: 600; color: var(--muted); padding: 2px 12px 2px 0; vertical-align: top; white-space: nowrap; }
table.kv td { padding: 2px 0; word-break: break-word; }
table.grid { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: var(--warn); border: 1px solid #efd98a; padding: 6px 10px; border-radius: 4px; margin: 6px 0; }
.muted { color: var(--muted); }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
details > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
.chart-row { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
figure.chart { margin: 0; flex: 0 1 540px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
figure.chart figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
figure.chart .run-name { font-size: 12px; font-weight: 600; margin-bottom: 4px; }
figure.chart svg { max-width: 100%; height: auto; }
.browser { display: grid; grid-template-columns: minmax(320px, 2fr) 3fr; gap: 16px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; align-items: center; }
.filters input[type=search] { flex: 1 1 240px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
.filters select { padding: 4px; border: 1px solid var(--line); border-radius: 4px; font: inherit; max-width: 220px; }
#item-count { color: var(--muted); font-size: 13px; }
#item-list { height: 70vh; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; position: relative; }
#item-list .spacer { position: relative; }
.row { position: absolute; left: 0; right: 0; height: 44px; padding: 4px 10px; border-bottom: 1px solid var(--line); cursor: pointer; overflow: hidden; }
.row:hover { background: var(--panel); }
.row.selected { background: #e6effb; }
.row .id { font-weight: 600; font-size: 13px; }
.row .outcome { color: var(--muted); font-size: 12px; margin-left: 8px; }
.row .text { font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
.row .sampled { font-size: 11px; color: var(--accent); margin-left: 6px; }
#item-detail { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; height: 70vh; overflow-y: auto; }
.msg { border-left: 3px solid var(--line); padding: 4px 10px; margin: 6px 0; }
.msg.user { border-color: #9aa5b1; }
.msg.assistant { border-color: var(--accent); }
.msg .who { font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .04em; }
.round { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 10px 0; }
.round .head { font-weight: 600; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: var(--panel); border: 1px solid var(--line); margin-left: 6px; font-weight: 400; }
.badge.revised { background: #e3edfb; } .badge.no-change { background: #eceff3; } .badge.rejected, .badge.failed { background: var(--del); }
.diff { white-space: pre-wrap; word-break: break-word; background: #fcfcfd; border: 1px solid var(--line); padding: 6px 8px; border-radius: 4px; }
.diff ins { background: var(--ins); color: var(--ins-fg); text-decoration: none; }
.diff del { background: var(--del); color: var(--del-fg); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.pair .reply { border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.pair .reply.chosen { border-color: var(--accent); }
@media (max-width: 900px) { .browser { grid-template-columns: 1fr; } .pair { grid-template-columns: 1fr; } }
`;
