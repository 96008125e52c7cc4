/**
 * The dashboard's front page: totals, executions over time, the most recent chalk marks,
 * executions and running workloads, each with a link to its full, paged list.
 *
 * @module
 */

import { EXEC_OPERATIONS } from "../store/chalk_store.ts";
import type { ChalkStore } from "../store/chalk_store.ts";
import { executionsChart } from "./chart.ts";
import { html } from "./html.ts";
import { executionsOverTime, listMarks, listReportRows, listRuns } from "./queries.ts";
import { chalkTable, reportTable, runTable } from "./tables.ts";
import { linkTo, PAGE_SIZE, type View, type ViewContext } from "./view.ts";

/** Renders `/` (JSON: `/api/summary`). */
export async function homeView(ctx: ViewContext, store: ChalkStore): Promise<View> {
  const staleBefore = ctx.staleBefore;
  const [counts, activity, marks, execs, runs] = await Promise.all([
    store.operationCounts(),
    executionsOverTime(ctx.sql, { days: 14, buckets: 56 }),
    listMarks(ctx.sql, {}, PAGE_SIZE),
    listReportRows(ctx.sql, EXEC_OPERATIONS, PAGE_SIZE),
    listRuns(ctx.sql, { current: true }, 10, { staleBefore }),
  ]);
  const total = counts.reduce((n, c) => n + c.n, 0);
  const more = (href: string, next: string | null, label: string) =>
    next === null ? null : html`<p class="pager"><a href="${href}">${label}</a></p>`;
  const body = html`
    <h1>Chalk reports</h1>
    <div class="stats">
    <div class="stat"><b>${total}</b> reports</div>
    ${counts.map((c) => html`<div class="stat"><b>${c.n}</b> ${c.operation}</div>`)}
    </div>
    ${executionsChart(activity)}
    <h2>Running now <a class="small" href="/runs">where it runs →</a></h2>
    ${runTable(runs.rows, staleBefore, "No exec or heartbeat in the last 10 minutes.")}
    <h2>Recent chalk marks</h2>
    ${chalkTable(
      marks.rows,
      "No chalk marks yet: run chalk insert or docker build with the post sink.",
    )}
    ${more(
      linkTo("/marks", { before: marks.next ?? undefined }),
      marks.next,
      "Older chalk marks →",
    )}
    <h2>Recent executions</h2>
    ${reportTable(execs.rows, "No exec or heartbeat reports yet.")}
    ${more(
      linkTo("/executions", { before: execs.next ?? undefined }),
      execs.next,
      "Older executions →",
    )}
  `;
  return {
    title: "Dashboard",
    data: {
      totals: { reports: total, by_operation: counts },
      executions_over_time: activity,
      running: runs.rows,
      recent_marks: marks.rows,
      recent_executions: execs.rows,
    },
    body,
  };
}
