/**
 * `/executions`: every exec and heartbeat report, newest first, a page at a time.
 *
 * @module
 */

import { EXEC_OPERATIONS } from "../store/chalk_store.ts";
import { html } from "./html.ts";
import { listReportRows } from "./queries.ts";
import { reportTable } from "./tables.ts";
import { olderLink, pageLimit, param, type View, type ViewContext } from "./view.ts";

/** Renders `/executions` (JSON: `/api/executions`). */
export async function executionsView(ctx: ViewContext): Promise<View> {
  const page = await listReportRows(
    ctx.sql,
    EXEC_OPERATIONS,
    pageLimit(ctx.url),
    param(ctx.url, "before"),
  );
  const body = html`
    <h1>Executions</h1>
    ${reportTable(page.rows, "No exec or heartbeat reports yet.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return { title: "Executions", data: { executions: page.rows, next: page.next }, body };
}
