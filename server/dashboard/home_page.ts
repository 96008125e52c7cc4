/**
 * The dashboard's front page: totals, recent chalk marks and recent executions.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { html, type SafeHtml } from "./html.ts";
import { page } from "./layout.ts";
import { operationCounts, recentChalks, recentReports } from "./queries.ts";
import { chalkTable, reportTable } from "./tables.ts";

/** How many rows each recent list shows. */
export const RECENT_LIMIT = 50;

/** Renders `/`. */
export function homePage(db: DatabaseSync): SafeHtml {
  const counts = operationCounts(db);
  const total = counts.reduce((n, c) => n + c.n, 0);
  const chalks = recentChalks(db, RECENT_LIMIT);
  const execs = recentReports(db, ["exec", "heartbeat"], RECENT_LIMIT);
  const body = html`
    <h1>Chalk reports</h1>
    <div class="stats">
    <div class="stat"><b>${total}</b> reports</div>
    ${counts.map((c) => html`<div class="stat"><b>${c.n}</b> ${c.operation}</div>`)}
    </div>
    <h2>Recent chalk marks</h2>
    ${chalkTable(
      chalks,
      "No chalk marks yet: run chalk insert or docker build with the post sink.",
    )}
    <h2>Recent executions</h2>
    ${reportTable(execs, "No exec or heartbeat reports yet.")}
  `;
  return page("Dashboard", body);
}
