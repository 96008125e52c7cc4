/**
 * chalk-ts's own `post` sink delivering to the server, as in the tutorial's
 * "Sending the Data Somewhere": core headers accepted, `Post 200 OK` logged,
 * the chalk visible in `/chalks`, a re-delivery stored once.
 */

import { assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { postSink } from "../../sinks/post.ts";
import type { SinkLog } from "../../sinks/sink.ts";
import { insertReport, newArtifact } from "./_reports.ts";
import { backendTest, startServer } from "./_server.ts";

backendTest(
  "post sink delivers to the server and /chalks shows the chalk once",
  async (backend) => {
    const server = await startServer({ backend });
    const lines: string[] = [];
    const log: SinkLog = {
      info: (m) => lines.push(`info: ${m}`),
      warn: (m) => lines.push(`warn: ${m}`),
      error: (m) => lines.push(`error: ${m}`),
    };
    const sink = postSink({
      name: "demo_http_config",
      sink: "post",
      enabled: true,
      filters: [],
      params: { uri: `${server.url}/report` },
    }, log);
    try {
      const a = newArtifact();
      const message = `[${insertReport([a])}]\n`;
      await sink.deliver(message);
      await sink.deliver(message);
      assertEquals(lines, [
        "info: Post 200 OK (sink conf='demo_http_config')",
        "info: Post 200 OK (sink conf='demo_http_config')",
      ]);
      const chalks = await (await fetch(`${server.url}/chalks`)).json();
      assertStrictEquals(chalks.length, 1);
      assertStrictEquals(chalks[0].CHALK_ID, a.chalkId);
      const posts = server.log.filter((l) => l.includes('"POST /report"'));
      assertStrictEquals(posts.length, 2);
      assertMatch(posts[0], /200 .*stored=1 duplicates=0/);
      assertMatch(posts[1], /200 .*stored=0 duplicates=1/);
    } finally {
      await sink.close?.();
      await server.stop();
    }
  },
);
