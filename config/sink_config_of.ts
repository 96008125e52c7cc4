/**
 * One `sink_config` section as the sinks take it: its sink type, switches and the parameters
 * the sink reads, converted from con4m values. Shared by the run's output configuration and the
 * load-time check of sink parameters (config/sink_checks.ts), so both see the same parameters.
 *
 * @module
 */
import { type Con4mRuntime, toPlain } from "../con4m/runtime.ts";
import type { SinkConfig } from "../sinks/sink.ts";

const SINK_CONFIG_KEYS = new Set(["sink", "enabled", "priority", "filters", "on_write_msg"]);
const SINK_DOC_KEYS = new Set(["doc", "shortdoc"]);

/** The section `sink_config.<name>` of `rt`, which must exist. */
export function sinkConfigOf(rt: Con4mRuntime, name: string): SinkConfig {
  const base = `sink_config.${name}`;
  const params: Record<string, unknown> = {};
  for (const field of rt.attrNames(base)) {
    if (SINK_CONFIG_KEYS.has(field) || SINK_DOC_KEYS.has(field)) continue;
    const v = rt.find(`${base}.${field}`);
    if (v !== undefined) params[field] = toPlain(v);
  }
  const onWriteMsg = rt.findString(`${base}.on_write_msg`);
  const auth = typeof params.auth === "string" ? authHeader(rt, params.auth) : undefined;
  return {
    name,
    // Unset in a section a later layer was meant to complete; a run refuses it when used.
    sink: rt.findString(`${base}.sink`) ?? "",
    enabled: rt.findBool(`${base}.enabled`) ?? true,
    filters: rt.isSet(`${base}.filters`) ? rt.getStringList(`${base}.filters`) : [],
    params,
    ...(onWriteMsg === undefined ? {} : { onWriteMsg: onWriteMsg.trim() }),
    ...(auth === undefined ? {} : { auth }),
  };
}

/** Base64 of the UTF-8 bytes (`btoa` alone takes Latin-1 only). */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/**
 * The `Authorization` header of `auth_config.<name>`: `basic` sends `username:password`,
 * `jwt` its `token` as a bearer token (docs/configuration.md, "Sinks").
 */
function authHeader(
  rt: Con4mRuntime,
  name: string,
): { header: string } | { problem: string } {
  const base = `auth_config.${name}`;
  if (!rt.hasSection(base)) return { problem: `names no auth_config '${name}'` };
  const field = (f: string) => rt.find(`${base}.${f}`);
  const scheme = field("auth");
  const need = scheme === "basic" ? ["username", "password"] : ["token"];
  for (const f of need) {
    if (typeof field(f) !== "string" || field(f) === "") {
      return { problem: `names auth_config '${name}', whose ${scheme} auth needs a '${f}' string` };
    }
  }
  return scheme === "basic"
    ? { header: `Basic ${base64(`${field("username")}:${field("password")}`)}` }
    : { header: `Bearer ${field("token")}` };
}
