/**
 * `/chalk/{CHALK_ID}`: what is known about one chalk, its marks, and a timeline
 * of every report that mentions it (insert, build, push, exec, heartbeat...).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { opBadge, textCell, timeCell } from "./cells.ts";
import { html, type SafeHtml } from "./html.ts";
import { page } from "./layout.ts";
import { chalkTimeline, latestMention, marksOfChalk, type ReportRow } from "./queries.ts";
import { prettyReport, reportFacts } from "./report_facts.ts";
import { chalkTable } from "./tables.ts";

/** Most timeline entries shown. */
export const TIMELINE_LIMIT = 1000;

function timelineEntry(r: ReportRow): SafeHtml {
  const facts = reportFacts(r.raw);
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
export function chalkPage(db: DatabaseSync, chalkId: string): SafeHtml | null {
  const facts = latestMention(db, chalkId);
  if (facts === undefined) return null;
  const marks = marksOfChalk(db, chalkId);
  const timeline = chalkTimeline(db, chalkId, TIMELINE_LIMIT);
  // Chalk-time facts come from the newest mark; run-time reports fill the gaps.
  const mark = marks.at(-1);
  const fact = (k: "artifact_type" | "artifact_path" | "origin_uri" | "commit_id" | "branch") =>
    mark?.[k] ?? facts[k];
  const body = html`
    <h1>Chalk <span class="mono">${chalkId}</span></h1>
    <dl class="facts">
      <dt>Artifact type</dt>
      <dd>${textCell(fact("artifact_type"))}</dd>
      <dt>Path</dt>
      <dd>${textCell(fact("artifact_path"))}</dd>
      <dt>Repository</dt>
      <dd>${textCell(fact("origin_uri"))}</dd>
      <dt>Commit</dt>
      <dd class="mono">${textCell(fact("commit_id"))}</dd>
      <dt>Branch</dt>
      <dd>${textCell(fact("branch"))}</dd>
      <dt>Last seen</dt>
      <dd>${timeCell(facts.time_ms)}</dd>
      <dt>Reports</dt>
      <dd>${String(timeline.length)}</dd>
    </dl>
    <h2>Chalk marks</h2>
    ${chalkTable(marks, "No insert or build report for this chalk reached this server.")}
    <h2>Timeline</h2>
    <ol class="timeline">
    ${timeline.map(timelineEntry)}</ol>
  `;
  return page(`Chalk ${chalkId}`, body);
}
