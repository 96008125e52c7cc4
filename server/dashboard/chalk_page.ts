/**
 * `/chalk/{CHALK_ID}`: what is known about one chalk, its marks, where it runs, and a timeline
 * of every report that mentions it (insert, build, push, exec, heartbeat...).
 *
 * @module
 */

import { artifactCell, commitLink, opBadge, repoLink, textCell, timeCell } from "./cells.ts";
import { html, type SafeHtml } from "./html.ts";
import { chalkSummary, chalkTimeline, listRuns, marksOfChalk, type ReportRow } from "./queries.ts";
import { prettyReport, reportFacts } from "./report_facts.ts";
import { chalkTable, runTable } from "./tables.ts";
import { linkTo, PAGE_SIZE, type View, type ViewContext } from "./view.ts";

/** Most timeline entries shown. */
export const TIMELINE_LIMIT = 1000;

function timelineEntry(r: ReportRow, chalkId: string): SafeHtml {
  const facts = reportFacts(r.raw, chalkId);
  return html`
    <li id="report-${String(r.id)}">
    ${opBadge(r.operation)}<span class="when">${timeCell(r.time_ms, r.datetime)}</span>
    <span class="muted">${r.hostname === null ? null : `on ${r.hostname}`}</span>
    ${facts.length === 0 ? null : html`<div class="summary">${
      facts.map((f) =>
        html`
          <span class="fact">${f.label}: <span class="mono">${f.value}</span></span>
        `
      )
    }</div>`}
    <details><summary>Raw report${r.action_id === null ? null : html`
      <span class="mono">${r.action_id}</span>
    `}</summary><pre>${prettyReport(r.raw)}</pre></details>
    </li>
  `;
}

/** Renders the page, or returns `null` when no report mentions `chalkId`. */
export async function chalkView(ctx: ViewContext, chalkId: string): Promise<View | null> {
  const facts = await chalkSummary(ctx.sql, chalkId);
  if (facts === undefined) return null;
  const staleBefore = ctx.staleBefore;
  const [marks, timeline, runs] = await Promise.all([
    marksOfChalk(ctx.sql, chalkId),
    chalkTimeline(ctx.sql, chalkId, TIMELINE_LIMIT),
    listRuns(ctx.sql, { chalk: chalkId }, PAGE_SIZE, { staleBefore }),
  ]);
  const body = html`
    <h1>Chalk <span class="mono">${chalkId}</span></h1>
    <dl class="facts">
      <dt>Artifact type</dt>
      <dd>${textCell(facts.artifact_type)}</dd>
      <dt>Path / image</dt>
      <dd>${artifactCell({
        artifact_path: facts.artifact_path,
        image_refs: facts.image_refs,
      })}</dd>
      <dt>Repository</dt>
      <dd>${repoLink(facts.origin_uri)}</dd>
      <dt>Commit</dt>
      <dd class="mono">${commitLink(facts.commit_id, "full")}</dd>
      <dt>Branch</dt>
      <dd>${textCell(facts.branch)}</dd>
      <dt>Last seen</dt>
      <dd>${timeCell(facts.time_ms)}</dd>
      <dt>Reports</dt>
      <dd>${String(timeline.length)}</dd>
    </dl>
    <h2>Chalk marks</h2>
    ${chalkTable(marks, "No insert or build report for this chalk reached this server.")}
    <h2>Where it runs <a class="small" href="${linkTo("/runs", { chalk: chalkId })}">all →</a></h2>
    ${runTable(runs.rows, staleBefore, "No exec or heartbeat report for this chalk.")}
    <h2>Timeline</h2>
    <ol class="timeline">
    ${timeline.map((r) => timelineEntry(r, chalkId))}</ol>
  `;
  return {
    title: `Chalk ${chalkId}`,
    data: { chalk_id: chalkId, facts, marks, runs: runs.rows, timeline },
    body,
  };
}
