import assert from "node:assert/strict";
import { escapeHtml, html, SafeHtml } from "../../../server/dashboard/html.ts";

Deno.test("html escapes interpolated text but not nested html fragments", () => {
  const evil = `<script>alert("x")</script>&'`;
  const inner = html`<b>${evil}</b>`;
  const out = html`<p title="${evil}">${inner}${[evil, null, 3]}</p>`.markup;
  assert.ok(!out.includes("<script>"));
  assert.equal(
    out,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
      "<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>" +
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;3</p>",
  );
  assert.equal(escapeHtml("a<b"), "a&lt;b");
  assert.equal(html`${new SafeHtml("<i>")}`.markup, "<i>");
});
