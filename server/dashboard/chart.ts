/**
 * Executions over time as an inline SVG bar chart, drawn on the server: no script, no external
 * resource, so it renders under the dashboard's Content-Security-Policy.
 *
 * @module
 */

import { formatTime } from "./cells.ts";
import { html, type SafeHtml } from "./html.ts";
import type { ActivityBuckets } from "./queries.ts";

const WIDTH = 900;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 14, bottom: 28 };

/** The chart, with a title and a text alternative for screen readers. */
export function executionsChart(data: ActivityBuckets, title = "Executions over time"): SafeHtml {
  const total = data.counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...data.counts);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / data.counts.length;
  const end = data.start_ms + data.bucket_ms * data.counts.length;
  const summary = `${total} executions from ${formatTime(data.start_ms)} to ${formatTime(end)}` +
    `, at most ${max} in one bar of ${Math.round(data.bucket_ms / 3_600_000)} h`;
  const bars = data.counts.map((n, i) => {
    const h = Math.round((n / max) * plotH);
    const x = (PAD.left + i * slot + 1).toFixed(1);
    const from = formatTime(data.start_ms + i * data.bucket_ms);
    return html`
      <rect class="bar" x="${x}" y="${PAD.top + plotH - h}" width="${Math.max(1, slot - 2).toFixed(
        1,
      )}" height="${h}"
        fill="#2456c7">
        <title>${from}: ${n} executions</title>
      </rect>
    `;
  });
  return html`
    <figure class="chart">
      <figcaption>${title} <span class="muted">(${total} in view)</span></figcaption>
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img"
        aria-label="${summary}" width="100%">
      <line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top +
        plotH}" stroke="#9aa3b2"/>
      <text x="${PAD.left - 6}" y="${PAD.top +
        8}" text-anchor="end" font-size="11" fill="#5b6475">${max}</text>
      <text x="${PAD.left - 6}" y="${PAD.top +
        plotH}" text-anchor="end" font-size="11" fill="#5b6475">0</text>
      ${bars}
      <text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11" fill="#5b6475">${formatTime(
        data.start_ms,
      )}</text>
      <text x="${WIDTH - PAD.right}" y="${HEIGHT -
        8}" text-anchor="end" font-size="11" fill="#5b6475">${formatTime(end)}</text>
      </svg>
    </figure>
  `;
}
