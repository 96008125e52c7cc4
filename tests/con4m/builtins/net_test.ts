import { assert, assertStrictEquals } from "../../_assert.ts";
import { join } from "node:path";
import { httpRequest, localIPv4, mimeToDict } from "../../../con4m/builtins/mod.ts";
import { Con4mDict } from "../../../con4m/values.ts";
import { parseIPAddr } from "../../../con4m/other_literals.ts";
import { builtin, call } from "./_call.ts";

/** A loopback HTTP server echoing method, body and one header; /missing answers 404. */
async function withServer(
  fn: (base: string) => Promise<void>,
  tls?: { cert: string; key: string },
): Promise<void> {
  const ac = new AbortController();
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/missing") return new Response("nope", { status: 404 });
    if (url.pathname === "/slow") {
      await new Promise((r) => setTimeout(r, 600));
      return new Response("late");
    }
    const body = await req.text();
    return new Response(`${req.method}|${body}|${req.headers.get("x-token") ?? ""}`);
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {}, ...tls },
    handler,
  );
  const scheme = tls ? "https" : "http";
  try {
    await fn(`${scheme}://${tls ? "localhost" : "127.0.0.1"}:${server.addr.port}`);
  } finally {
    ac.abort();
    await server.finished;
  }
}

Deno.test("url_get returns the body of a 2xx answer", async () => {
  await withServer(async (base) => {
    assertStrictEquals(await call("url_get", "func(string) -> string", [`${base}/x`]), "GET||");
  });
});

Deno.test("url_get reports HTTP errors as ERR <code> <reason>", async () => {
  await withServer(async (base) => {
    assertStrictEquals(
      await call("url_get", "func(string) -> string", [`${base}/missing`]),
      "ERR 404 Not Found",
    );
  });
});

Deno.test("url_get reports connection failures with code 000", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const r = await call("url_get", "func(string) -> string", [`http://127.0.0.1:${port}/`]);
  assert(typeof r === "string" && r.startsWith("ERR 000 "), String(r));
});

Deno.test("httpRequest gives up after the timeout", async () => {
  await withServer(async (base) => {
    const r = await httpRequest(`${base}/slow`, { timeoutMs: 100 });
    assert(r.startsWith("ERR 000 "), r);
  });
});

Deno.test("url_post sends the body and the headers", async () => {
  await withServer(async (base) => {
    const headers = new Con4mDict([["X-Token", "t0k"], ["Content-Type", "text/plain"]]);
    assertStrictEquals(
      await call("url_post", "func(string, string, dict[string, string]) -> string", [
        `${base}/post`,
        "payload",
        headers,
      ]),
      "POST|payload|t0k",
    );
  });
});

Deno.test("network builtins are marked asynchronous", () => {
  assert(builtin("url_get", "func(string) -> string").async);
  assert(!builtin("len", "func(string) -> int").async);
});

function openssl(args: string[], cwd: string): void {
  const out = new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .outputSync();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
}

/** A CA and a localhost leaf signed by it, made with openssl in `dir`. */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=con4m test CA",
  ], dir);
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "leaf.key",
    "-out",
    "leaf.csr",
    "-subj",
    "/CN=localhost",
  ], dir);
  Deno.writeTextFileSync(
    join(dir, "ext.cnf"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  openssl([
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-out",
    "leaf.pem",
    "-extfile",
    "ext.cnf",
  ], dir);
  return {
    ca: join(dir, "ca.pem"),
    cert: Deno.readTextFileSync(join(dir, "leaf.pem")),
    key: Deno.readTextFileSync(join(dir, "leaf.key")),
  };
}

Deno.test("url_get_pinned trusts only the given CA", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const { ca, cert, key } = makeCerts(dir);
    await withServer(async (base) => {
      assertStrictEquals(
        await call("url_get_pinned", "func(string, string) -> string", [`${base}/p`, ca]),
        "GET||",
      );
      const unpinned = await call("url_get", "func(string) -> string", [`${base}/p`]);
      assert(typeof unpinned === "string" && unpinned.startsWith("ERR 000 "), String(unpinned));
      const posted = await call(
        "url_post_pinned",
        "func(string, string, dict[string, string], string) -> string",
        [`${base}/p`, "b", new Con4mDict([["x-token", "z"]]), ca],
      );
      assertStrictEquals(posted, "POST|b|z");
      const badPin = await call("url_get_pinned", "func(string, string) -> string", [
        `${base}/p`,
        join(dir, "absent.pem"),
      ]);
      assert(typeof badPin === "string" && badPin.startsWith("ERR 000 "), String(badPin));
    }, { cert, key });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("external_ip returns a local IPv4 address or an empty string", async () => {
  const ip = await call("external_ip", "func() -> string", []);
  assertStrictEquals(ip, localIPv4());
  assert(
    ip === "" || (parseIPAddr(ip as string) !== undefined && !(ip as string).startsWith("127.")),
  );
});

Deno.test("mime_to_dict parses Key: value lines and skips malformed ones", () => {
  const d = mimeToDict("Authorization: Bearer abc:def\nno colon here\nX-Empty:\n  Spaced :  v  \n");
  assertStrictEquals(d.get("Authorization"), "Bearer abc:def");
  assertStrictEquals(d.get("X-Empty"), "");
  assertStrictEquals(d.get("Spaced"), "v");
  assertStrictEquals(d.size, 3);
  const viaBuiltin = call("mime_to_dict", "func(string) -> dict[string, string]", [
    "A: 1\nA: 2",
  ]) as Con4mDict;
  assertStrictEquals(viaBuiltin.size, 1);
  assertStrictEquals(viaBuiltin.get("A"), "2");
});
