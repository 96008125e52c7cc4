/**
 * Safe HTML building for the dashboard. Every report value is untrusted, so
 * interpolations into {@linkcode html} templates are escaped unless they are
 * already {@linkcode SafeHtml}.
 *
 * @module
 */

/** A fragment of HTML that is known to be safe to emit as is. */
export class SafeHtml {
  /** Wraps already-escaped markup. Only {@linkcode html} and trusted constants call this. */
  constructor(readonly markup: string) {}

  /** The markup. */
  toString(): string {
    return this.markup;
  }
}

/** What may be interpolated into an {@linkcode html} template. */
export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * Tagged template producing {@linkcode SafeHtml}: literal parts are trusted,
 * interpolated values are escaped (arrays are joined, `null`/`undefined` vanish).
 *
 * @example
 * ```ts
 * html`<td>${"<script>"}</td>`.markup; // "<td>&lt;script&gt;</td>"
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
