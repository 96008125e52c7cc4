/**
 * The dashboard's stylesheet, served inline so that pages need no other request.
 *
 * @module
 */

/** CSS for every dashboard page. */
export const DASHBOARD_CSS = `
:root {
  --ink: #1d2330; --muted: #5b6475; --line: #dde2ea; --bg: #f5f7fa; --card: #ffffff;
  --accent: #2456c7; --stripe: #f9fafc;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
header.top {
  background: #1d2330; color: #fff; padding: 0.7rem 1.5rem;
  display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap;
}
header.top a.brand { color: #fff; font-weight: 700; font-size: 1.15rem; text-decoration: none; }
header.top form { display: flex; gap: 0.4rem; flex: 1; max-width: 34rem; }
header.top input[type=search] {
  flex: 1; padding: 0.4rem 0.6rem; border-radius: 4px; border: 1px solid #49526a;
  background: #2a3242; color: #fff; font: inherit;
}
header.top button, form.search button {
  padding: 0.4rem 0.9rem; border-radius: 4px; border: 0; background: var(--accent);
  color: #fff; font: inherit; cursor: pointer;
}
main { max-width: 78rem; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
h1 { font-size: 1.45rem; margin: 0.4rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.8rem 0 0.6rem; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.stats { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 0.5rem; }
.stat {
  background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.6rem 1rem; min-width: 8rem;
}
.stat b { display: block; font-size: 1.4rem; }
table {
  width: 100%; border-collapse: collapse; background: var(--card);
  border: 1px solid var(--line); border-radius: 6px; overflow: hidden;
}
th, td { text-align: left; padding: 0.45rem 0.7rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #eef1f6; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); }
tbody tr:nth-child(even) { background: var(--stripe); }
td.id, code, .mono { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.86rem; }
td.path { overflow-wrap: anywhere; }
td.id, td.nowrap { white-space: nowrap; }
.fact { margin-right: 1.1rem; white-space: nowrap; }
.fact .mono { white-space: normal; }
.empty { padding: 1rem; background: var(--card); border: 1px dashed var(--line);
  border-radius: 6px; color: var(--muted); }
.op { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8rem;
  font-weight: 600; background: #e6e9ef; color: #333; }
.op-insert { background: #dcf3e3; color: #135c2b; }
.op-build { background: #dbeafe; color: #1e40af; }
.op-push { background: #ede4fd; color: #5b21b6; }
.op-exec { background: #fff1d6; color: #8a4b00; }
.op-heartbeat { background: #fde4ea; color: #9f1239; }
.op-delete { background: #f1f1f1; color: #555; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem;
  background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 0.9rem 1.1rem;
  margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-all; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1.2rem; border-left: 3px solid var(--line); }
ol.timeline li { position: relative; margin: 0 0 0.9rem; background: var(--card);
  border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.9rem; }
ol.timeline li::before { content: ""; position: absolute; left: -1.72rem; top: 0.85rem;
  width: 0.75rem; height: 0.75rem; border-radius: 50%; background: var(--accent);
  border: 2px solid var(--bg); }
.when { font-weight: 600; margin: 0 0.5rem; }
.summary { margin-top: 0.3rem; color: var(--muted); }
details { margin-top: 0.4rem; }
details summary { cursor: pointer; color: var(--accent); }
pre { background: #f3f5f9; border: 1px solid var(--line); border-radius: 4px; padding: 0.7rem;
  overflow-x: auto; font-size: 0.8rem; max-height: 32rem; }
header.top nav { display: flex; gap: 1rem; }
header.top nav a { color: #cfd6e4; text-decoration: none; }
header.top nav a:hover { color: #fff; }
a.small { font-size: 0.8rem; font-weight: 400; margin-left: 0.6rem; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 4px; font-size: 0.75rem; }
.badge.stale { background: #fde4ea; color: #9f1239; }
.badge.live { background: #dcf3e3; color: #135c2b; }
.pager { margin: 0.6rem 0; }
.api { margin-top: 2rem; color: var(--muted); font-size: 0.85rem; }
figure.chart { margin: 1rem 0; background: var(--card); border: 1px solid var(--line);
  border-radius: 6px; padding: 0.6rem 0.9rem; }
figure.chart figcaption { font-weight: 600; margin-bottom: 0.3rem; }
form.filters { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); }
form.filters label.check { flex-direction: row; align-items: center; gap: 0.3rem;
  padding-bottom: 0.35rem; }
form.filters input { padding: 0.3rem 0.5rem; border: 1px solid var(--line); border-radius: 4px;
  font: inherit; color: var(--ink); }
form.filters button { padding: 0.35rem 0.9rem; border-radius: 4px; border: 0;
  background: var(--accent); color: #fff; font: inherit; }
form.search { display: flex; gap: 0.4rem; max-width: 34rem; margin-bottom: 1rem; }
form.search input { flex: 1; padding: 0.4rem 0.6rem; border: 1px solid var(--line);
  border-radius: 4px; font: inherit; }
`;
