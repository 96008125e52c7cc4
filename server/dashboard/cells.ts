/**
 * Small renderers for values that recur across dashboard tables: times,
 * operation badges, chalk links, commits.
 *
 * @module
 */

import { html, type SafeHtml } from "./html.ts";

/** `2023-09-23 16:44:31 UTC` for a time in ms since the epoch. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** A `<time>` element; `datetime` (chalk's local `_DATETIME`) becomes the tooltip. */
export function timeCell(ms: number, datetime: string | null = null): SafeHtml {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}" title="${datetime ?? iso}">${formatTime(ms)}</time>`;
}

/** A coloured badge naming a report's operation. */
export function opBadge(operation: string): SafeHtml {
  const cls = /^[a-z]+$/.test(operation) ? `op op-${operation}` : "op";
  return html`<span class="${cls}">${operation}</span>`;
}

/** The dashboard URL of a chalk's detail page. */
export function chalkHref(chalkId: string): string {
  return `/chalk/${encodeURIComponent(chalkId)}`;
}

/** A link to a chalk's detail page, or a dash when there is no CHALK_ID. */
export function chalkLink(chalkId: string | null): SafeHtml {
  if (chalkId === null) return html`<span class="muted">—</span>`;
  return html`<a class="mono" href="${chalkHref(chalkId)}">${chalkId}</a>`;
}

/** A commit shortened to 12 characters, full id in the tooltip. */
export function commitCell(commit: string | null): SafeHtml {
  if (commit === null) return html`<span class="muted">—</span>`;
  return html`<span class="mono" title="${commit}">${commit.slice(0, 12)}</span>`;
}

/** Text or a muted dash. */
export function textCell(text: string | null): SafeHtml {
  if (text === null || text === "") return html`<span class="muted">—</span>`;
  return html`${text}`;
}

/** What an artifact is known by: its image names and tags, else its path. */
export function artifactCell(
  row: { artifact_path: string | null; image_refs: string | null },
): SafeHtml {
  if (row.image_refs !== null && row.image_refs !== "") {
    return html`<span class="mono image">${row.image_refs}</span>`;
  }
  return textCell(row.artifact_path);
}

/** A last-seen time, with a "stale" badge when it is older than `staleBefore`. */
export function lastSeenCell(ms: number, staleBefore: number): SafeHtml {
  return ms < staleBefore
    ? html`${timeCell(ms)} <span class="badge stale">stale</span>`
    : html`${timeCell(ms)} <span class="badge live">current</span>`;
}

/** The dashboard URL of a commit's page. */
export function commitHref(commit: string): string {
  return `/commit/${encodeURIComponent(commit)}`;
}

/** A link to a commit's page, shortened to 12 characters unless `full`. */
export function commitLink(commit: string | null, length: "short" | "full" = "short"): SafeHtml {
  if (commit === null) return html`<span class="muted">—</span>`;
  const text = length === "full" ? commit : commit.slice(0, 12);
  return html`<a class="mono" href="${commitHref(commit)}" title="${commit}">${text}</a>`;
}

/** A link to a repository's page. */
export function repoLink(originUri: string | null): SafeHtml {
  if (originUri === null) return html`<span class="muted">—</span>`;
  return html`<a href="/repo?uri=${encodeURIComponent(originUri)}">${originUri}</a>`;
}
