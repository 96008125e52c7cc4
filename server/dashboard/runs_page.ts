/**
 * `/runs`, "where it runs": one row per execution of a chalked program (an exec report and its
 * heartbeats) with host, container, image and when it was last seen; runs silent for longer
 * than the stale window (`--stale-after`) are marked stale. Filters: host, image, CHALK_ID, commit,
 * current only.
 *
 * @module
 */

import { formatTime } from "./cells.ts";
import { executionsChart } from "./chart.ts";
import { html } from "./html.ts";
import { executionsOverTime, listRuns, type RunFilters } from "./queries.ts";
import { runTable } from "./tables.ts";
import { filterForm, olderLink, pageLimit, param, type View, type ViewContext } from "./view.ts";

/** Renders `/runs` (JSON: `/api/runs`). */
export async function runsView(ctx: ViewContext): Promise<View> {
  const filters: RunFilters = {
    host: param(ctx.url, "host"),
    image: param(ctx.url, "image"),
    chalk: param(ctx.url, "chalk"),
    commit: param(ctx.url, "commit"),
    current: param(ctx.url, "current") === "1",
  };
  const staleBefore = ctx.staleBefore;
  const [page, activity] = await Promise.all([
    listRuns(ctx.sql, filters, pageLimit(ctx.url), {
      before: param(ctx.url, "before"),
      staleBefore,
    }),
    executionsOverTime(ctx.sql, { days: 14, buckets: 56 }),
  ]);
  const body = html`
    <h1>Where it runs</h1>
    <p class="muted">One row per execution (an exec report and its heartbeats). Runs with no
    report since ${formatTime(ctx.staleBefore)} are marked stale.</p>
    ${filterForm("/runs", ctx.url, [["host", "Host"], ["image", "Image"], ["chalk", "CHALK_ID"], [
      "commit",
      "Commit",
    ], ["current", "Current only?"]])}
    ${executionsChart(activity)}
    ${runTable(page.rows, staleBefore, "No execution matches.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return {
    title: "Where it runs",
    data: { filters, stale_before_ms: staleBefore, runs: page.rows, next: page.next },
    body,
  };
}
