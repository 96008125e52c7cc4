import { assert, assertStrictEquals } from "../../_assert.ts";
import { escapeHtml, html, SafeHtml } from "../../../server/dashboard/html.ts";

Deno.test("html escapes interpolated text but not nested html fragments", () => {
  const evil = `<script>alert("x")</script>&'`;
  const inner = html`<b>${evil}</b>`;
  const out = html`<p title="${evil}">${inner}${[evil, null, 3]}</p>`.markup;
  assert(!out.includes("<script>"));
  assertStrictEquals(
    out,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
      "<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>" +
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;3</p>",
  );
  assertStrictEquals(escapeHtml("a<b"), "a&lt;b");
  assertStrictEquals(html`${new SafeHtml("<i>")}`.markup, "<i>");
});
