/**
 * The dashboard's tables, all drawn by one {@linkcode table} from a list of columns: chalk
 * marks, reports, runs ("where it runs"), commits and repositories.
 *
 * @module
 */

import {
  artifactCell,
  chalkLink,
  commitLink,
  lastSeenCell,
  opBadge,
  repoLink,
  textCell,
  timeCell,
} from "./cells.ts";
import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import type {
  ChalkListRow,
  ChalkSearchRow,
  CommitRow,
  RepoRow,
  ReportRow,
  RunRow,
} from "./queries.ts";
import { reportFacts } from "./report_facts.ts";

/** One column: its heading, the cell of a row, and an optional CSS class for its cells. */
export interface Column<T> {
  /** Heading text. */
  head: string;
  /** The cell's content for `row`. */
  cell: (row: T) => HtmlValue;
  /** `id` (no wrapping, monospace), `path` (wraps anywhere) or `nowrap`. */
  cls?: "id" | "path" | "nowrap";
}

/** A table of `rows`, or a dashed box saying `empty`. */
export function table<T>(
  name: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  empty: string,
): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`
    <table class="${name}">
      <thead>
        <tr>${columns.map((c) => html`<th>${c.head}</th>`)}</tr>
      </thead>
      <tbody>
    ${rows.map((r) =>
      html`
        <tr>${columns.map((c) =>
          c.cls === undefined
            ? html`<td>${c.cell(r)}</td>`
            : html`<td class="${c.cls}">${c.cell(r)}</td>`
        )}</tr>
      `
    )}</tbody>
    </table>
  `;
}

const CHALK_COLUMNS: readonly Column<ChalkListRow | ChalkSearchRow>[] = [
  { head: "CHALK_ID", cell: (r) => chalkLink(r.chalk_id), cls: "id" },
  { head: "Type", cell: (r) => textCell(r.artifact_type) },
  { head: "Path / image", cell: artifactCell, cls: "path" },
  { head: "Repository", cell: (r) => repoLink(r.origin_uri), cls: "path" },
  { head: "Commit", cell: (r) => commitLink(r.commit_id) },
  { head: "Branch", cell: (r) => textCell(r.branch) },
];

/** A table of chalks; rows from search also show how many reports mention each. */
export function chalkTable(
  rows: readonly (ChalkListRow | ChalkSearchRow)[],
  empty: string,
): SafeHtml {
  const withCounts = rows.some((r) => "reports" in r);
  return table(
    "chalks",
    [
      ...CHALK_COLUMNS,
      withCounts
        ? { head: "Reports", cell: (r) => "reports" in r ? String(r.reports) : "" }
        : { head: "Operation", cell: (r) => opBadge(r.operation) },
      { head: "Time", cell: (r) => timeCell(r.time_ms), cls: "nowrap" },
    ],
    rows,
    empty,
  );
}

/** A table of reports (executions, heartbeats, pushes...). */
export function reportTable(rows: readonly ReportRow[], empty: string): SafeHtml {
  return table(
    "reports",
    [
      { head: "Time", cell: (r) => timeCell(r.time_ms, r.datetime), cls: "nowrap" },
      { head: "Operation", cell: (r) => opBadge(r.operation) },
      { head: "CHALK_ID", cell: (r) => chalkLink(r.chalk_id), cls: "id" },
      { head: "Host", cell: (r) => textCell(r.hostname), cls: "nowrap" },
      {
        head: "Details",
        cell: (r) =>
          reportFacts(r.raw, r.chalk_id).filter((f) => f.label !== "chalk argv").slice(0, 3).map(
            (f) =>
              html`
                <span class="muted">${f.label}</span> ${f.value}
              `,
          ),
      },
    ],
    rows,
    empty,
  );
}

/** "Where it runs": host, container, image, last seen (stale marked). */
export function runTable(rows: readonly RunRow[], staleBefore: number, empty: string): SafeHtml {
  return table(
    "runs",
    [
      { head: "Host", cell: (r) => textCell(r.hostname), cls: "nowrap" },
      { head: "Container", cell: (r) => textCell(r.container_id?.slice(0, 12) ?? null), cls: "id" },
      { head: "Image / program", cell: artifactCell, cls: "path" },
      { head: "CHALK_ID", cell: (r) => chalkLink(r.chalk_id), cls: "id" },
      { head: "Commit", cell: (r) => commitLink(r.commit_id) },
      { head: "PID", cell: (r) => textCell(r.pid) },
      { head: "Reports", cell: (r) => String(r.reports) },
      { head: "Last seen", cell: (r) => lastSeenCell(r.last_seen_ms, staleBefore), cls: "nowrap" },
    ],
    rows,
    empty,
  );
}

/** Commits built from a repository. */
export function commitTable(rows: readonly CommitRow[], empty: string): SafeHtml {
  return table(
    "commits",
    [
      { head: "Commit", cell: (r) => commitLink(r.commit_id) },
      { head: "Branch", cell: (r) => textCell(r.branch) },
      { head: "Chalk marks", cell: (r) => String(r.chalks) },
      { head: "Last build", cell: (r) => timeCell(r.last_seen_ms), cls: "nowrap" },
    ],
    rows,
    empty,
  );
}

/** Repositories with builds. */
export function repoTable(rows: readonly RepoRow[], empty: string): SafeHtml {
  return table(
    "repos",
    [
      { head: "Repository", cell: (r) => repoLink(r.origin_uri), cls: "path" },
      { head: "Commits", cell: (r) => String(r.commits) },
      { head: "Chalk marks", cell: (r) => String(r.chalks) },
      { head: "Last build", cell: (r) => timeCell(r.last_seen_ms), cls: "nowrap" },
    ],
    rows,
    empty,
  );
}
