/**
 * Asking the docker engine directly. A `docker inspect` is a whole docker
 * CLI start (~95 ms here) for one small JSON document the engine serves in
 * a few milliseconds over its unix socket; chalk's queries after a build go
 * straight to the socket when nothing on the user's side picks another
 * daemon or transport, and to the CLI otherwise (and whenever the socket
 * does not answer as expected). The engine's `GET /images/{name}/json` is
 * what the CLI prints, one element of its array.
 *
 * @module
 */

/** The engine's default socket, as the docker CLI uses it without DOCKER_HOST. */ import { unixHttpGet } from "./unix_http_get.ts";

const DEFAULT_SOCKET = "/var/run/docker.sock";

/** A name docker could resolve, safe to put in a URL path as it is. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

/** What decides which daemon the docker CLI talks to. */
export interface EngineChoice {
  /** Global flags of the user's docker command line (`-H`, `--context`, `--config`, ...). */
  globals: readonly string[];
  /** The environment the CLI would see. */
  env: Record<string, string | undefined>;
  /** Reads a file's text, or undefined when it cannot (the CLI's config file). */
  readText(path: string): string | undefined;
}

/** The CLI's current context named in its config file, if any. */
function configuredContext(choice: EngineChoice): string | undefined {
  const dir = choice.env.DOCKER_CONFIG ??
    (choice.env.HOME ? `${choice.env.HOME}/.docker` : undefined);
  if (dir === undefined) return undefined;
  const text = choice.readText(`${dir}/config.json`);
  if (text === undefined) return undefined;
  try {
    const context = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
    return typeof context === "string" ? context : undefined;
  } catch {
    return "unreadable"; // the CLI will say what is wrong with it
  }
}

/**
 * The unix socket of the daemon the docker CLI would talk to, when chalk can
 * be sure of it: no global flags, no context but the default, and DOCKER_HOST
 * unset or a `unix://` address. Undefined means: ask the CLI.
 */
export function engineSocket(choice: EngineChoice): string | undefined {
  if (choice.globals.length > 0) return undefined;
  const { DOCKER_HOST: host, DOCKER_CONTEXT: context } = choice.env;
  if (context !== undefined && context !== "" && context !== "default") return undefined;
  if (host !== undefined && host !== "") {
    return host.startsWith("unix://") && host.length > "unix://".length
      ? host.slice("unix://".length)
      : undefined;
  }
  const current = configuredContext(choice);
  if (current !== undefined && current !== "" && current !== "default") return undefined;
  return DEFAULT_SOCKET;
}

/** The engine's answer: the document, none (404), or undefined when the CLI should be asked. */
export type EngineAnswer = { found: Record<string, unknown> } | { found: undefined } | undefined;

/** A JSON document the engine serves at `path`: `{ found: undefined }` for 404, undefined to ask the CLI. */
async function getJson(socket: string, path: string): Promise<{ found: unknown } | undefined> {
  const response = await unixHttpGet(socket, path);
  if (response === undefined) return undefined; // no socket, refused, not an engine: ask the CLI
  if (response.status === 404) return { found: undefined };
  if (response.status !== 200) return undefined;
  try {
    return { found: JSON.parse(new TextDecoder().decode(response.body)) };
  } catch {
    return undefined;
  }
}

/** `GET /{images|containers}/{name}/json` on the engine at `socket`. */
export async function inspectOverSocket(
  socket: string,
  name: string,
  type: "image" | "container",
): Promise<EngineAnswer> {
  if (!PLAIN_NAME.test(name)) return undefined;
  const answer = await getJson(socket, `/${type}s/${name}/json`);
  if (answer === undefined || answer.found === undefined) return answer as EngineAnswer;
  const doc = answer.found;
  return doc !== null && typeof doc === "object" && !Array.isArray(doc)
    ? { found: doc as Record<string, unknown> }
    : undefined;
}

/**
 * `GET /images/{name}/history`: each layer's `CreatedBy`, newest first (what
 * `docker history --no-trunc --format {{.CreatedBy}}` prints); `{ found: undefined }`
 * for no such image, undefined to ask the CLI.
 */
export async function historyOverSocket(
  socket: string,
  name: string,
): Promise<{ found: string[] | undefined } | undefined> {
  if (!PLAIN_NAME.test(name)) return undefined;
  const answer = await getJson(socket, `/images/${name}/history`);
  if (answer === undefined || answer.found === undefined) return answer as { found: undefined };
  if (!Array.isArray(answer.found)) return undefined;
  return { found: answer.found.map((layer) => String(layer?.CreatedBy ?? "")) };
}
