/**
 * The dashboard's two kinds of table: chalk marks and reports.
 *
 * @module
 */

import { chalkLink, commitCell, opBadge, textCell, timeCell } from "./cells.ts";
import { html, type SafeHtml } from "./html.ts";
import type { ChalkListRow, ChalkSearchRow, ReportRow } from "./queries.ts";
import { reportFacts } from "./report_facts.ts";

/** A table of chalks; rows from search also show how many reports mention each. */
export function chalkTable(
  rows: readonly (ChalkListRow | ChalkSearchRow)[],
  empty: string,
): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  const withCounts = rows.some((r) => "reports" in r);
  return html`
    <table class="chalks">
      <thead>
        <tr>
          <th>CHALK_ID</th>
          <th>Type</th>
          <th>Path</th>
          <th>Repository</th>
          <th>Commit</th>
          <th>Branch</th>
          <th>${withCounts ? "Reports" : "Operation"}</th>
          <th>Time</th>
        </tr>
      </thead>
      <tbody>
    ${rows.map((r) =>
      html`
        <tr>
          <td class="id">${chalkLink(r.chalk_id)}</td>
          <td>${textCell(r.artifact_type)}</td>
          <td class="path">${textCell(r.artifact_path)}</td>
          <td class="path">${textCell(r.origin_uri)}</td>
          <td>${commitCell(r.commit_id)}</td>
          <td>${textCell(r.branch)}</td>
          <td>${"reports" in r ? String(r.reports) : opBadge(r.operation)}</td>
          <td class="nowrap">${timeCell(r.time_ms)}</td>
        </tr>
      `
    )}</tbody>
    </table>
  `;
}

/** A table of reports (executions, heartbeats, pushes...). */
export function reportTable(rows: readonly ReportRow[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`
    <table class="reports">
      <thead>
        <tr>
          <th>Time</th>
          <th>Operation</th>
          <th>CHALK_ID</th>
          <th>Host</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
    ${rows.map((r) =>
      html`
        <tr>
          <td class="nowrap">${timeCell(r.time_ms, r.datetime)}</td>
          <td>${opBadge(r.operation)}</td>
          <td class="id">${chalkLink(r.chalk_id)}</td>
          <td class="nowrap">${textCell(r.hostname)}</td>
          <td>${reportFacts(r.raw).filter((f) => f.label !== "chalk argv").slice(0, 3).map((f) =>
            html`
              <span class="muted">${f.label}</span> ${f.value}
            `
          )}</td>
        </tr>
      `
    )}</tbody>
    </table>
  `;
}
