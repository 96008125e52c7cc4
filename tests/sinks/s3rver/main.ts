/**
 * s3rver (a local S3 implementation) as a server process for the S3 sink tests. It is a
 * project of its own (deno.json and deno.lock beside this file) so that its ~110 npm
 * packages stay out of the repository's lock file: `deno task chalk` on a fresh machine
 * downloads only what chalk imports. Started by `startS3rver` in tests/server/_server.ts.
 *
 * Usage: deno run -A --config tests/sinks/s3rver/deno.json tests/sinks/s3rver/main.ts
 *        --dir DIR --bucket NAME
 * Prints `listening on http://127.0.0.1:PORT` on stderr; stops on SIGTERM.
 *
 * @module
 */
import S3rver from "s3rver";

function arg(name: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= Deno.args.length) throw new Error(`--${name} is required`);
  return Deno.args[i + 1];
}

const server = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory: arg("dir"),
  configureBuckets: [{ name: arg("bucket"), configs: [] }],
});
const { port } = await server.run();
console.error(`listening on http://127.0.0.1:${port}`);
Deno.addSignalListener("SIGTERM", async () => {
  await server.close();
  Deno.exit(0);
});
