/**
 * The page shell every dashboard page shares: head, top bar with search, main.
 *
 * @module
 */

import { html, SafeHtml } from "./html.ts";
import { DASHBOARD_CSS } from "./style.ts";

const STYLE = new SafeHtml(DASHBOARD_CSS);

const NAV: readonly [string, string][] = [
  ["/", "Overview"],
  ["/marks", "Chalk marks"],
  ["/runs", "Where it runs"],
  ["/executions", "Executions"],
  ["/repos", "Repositories"],
];

/** Options of {@linkcode page}. */
export interface PageOptions {
  /** The search box's text. */
  query?: string;
  /** The JSON API answering the same view, linked from the page. */
  api?: string;
}

/** Wraps `body` in a full HTML document titled `title`. */
export function page(title: string, body: SafeHtml, options: PageOptions = {}): SafeHtml {
  const query = options.query ?? "";
  return html`
    <!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title} · chalk server</title>
        <style>${STYLE}</style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">chalk server</a>
          <nav>${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
          <form action="/search" method="get" role="search">
            <input type="search" name="q" value="${query}"
              placeholder="CHALK_ID, repository, commit or image"
              aria-label="Search chalks">
            <button type="submit">Search</button>
          </form>
        </header>
        <main>
    ${body}
    ${options.api === undefined
      ? null
      : html`<p class="api">The same as JSON: <a class="mono" href="${options.api}">${options.api}</a></p>`}
        </main>
      </body>
    </html>
  `;
}

/** A page for a missing chalk or another dashboard error. */
export function messagePage(title: string, message: string): SafeHtml {
  return page(
    title,
    html`
      <h1>${title}</h1>
      <p class="empty">${message}</p>
    `,
  );
}
