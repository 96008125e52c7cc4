/**
 * The parameters each sink type accepts (docs/configuration.md lists them for
 * users): which exist, which are required, their types and URI forms. Every
 * problem is a one-line `SinkParamError` naming the sink config and the field.
 */
import { type SinkConfig, SinkError } from "./sink.ts";

/** The value types a sink parameter can have. */
export type ParamType = "string" | "bool" | "int" | "size" | "dict" | "list";

/** One declared parameter of a sink type. */
export interface ParamSpec {
  readonly type: ParamType;
  readonly required?: boolean;
}

const HTTP_PARAMS: Readonly<Record<string, ParamSpec>> = {
  uri: { type: "string", required: true },
  content_type: { type: "string" },
  headers: { type: "dict" },
  disallow_http: { type: "bool" },
  timeout: { type: "int" },
  pinned_cert_file: { type: "string" },
  pinned_cert: { type: "string" },
  prefer_bundled_certs: { type: "bool" },
  auth: { type: "string" },
  disable_after_errors: { type: "int" },
};

/** Declared parameters per sink type; `on_write_msg` lives on the config itself. */
export const SINK_PARAMETERS: Readonly<Record<string, Readonly<Record<string, ParamSpec>>>> = {
  stdout: {},
  stderr: {},
  file: {
    filename: { type: "string", required: true },
    log_search_path: { type: "list" },
    use_search_path: { type: "bool" },
    mode: { type: "string" },
  },
  rotating_log: {
    filename: { type: "string", required: true },
    max: { type: "size", required: true },
    truncation_amount: { type: "size" },
    log_search_path: { type: "list" },
  },
  post: HTTP_PARAMS,
  presign: HTTP_PARAMS,
  s3: {
    uri: { type: "string", required: true },
    uid: { type: "string" },
    secret: { type: "string" },
    token: { type: "string" },
    region: { type: "string" },
    extra: { type: "string" },
    endpoint: { type: "string" },
    timeout: { type: "int" },
    disable_after_errors: { type: "int" },
  },
  // Accepted so that chalk's configurations load; chalk-ts sends nothing to it
  // (UNIMPLEMENTED_SINK_TYPES).
  dns: {
    domain_template: { type: "string", required: true },
    record_type: { type: "string" },
    missing_key_placeholder: { type: "string" },
    dns_server: { type: "string" },
    dns_timeout: { type: "int" },
    disable_after_errors: { type: "int" },
    require_chalk_mark: { type: "bool" },
  },
};

/**
 * Sink types chalk's configurations use that chalk-ts accepts but does not
 * implement: the hub sends them nothing, and a run whose configuration uses one
 * says so in one warning line (config/unimplemented.ts).
 */
export const UNIMPLEMENTED_SINK_TYPES: ReadonlySet<string> = new Set(["dns"]);

/** Keys every sink config has besides its type's parameters. */
const COMMON_KEYS = new Set(["sink", "enabled", "priority", "filters", "on_write_msg"]);

/** A sink config whose parameters are missing, unknown or mistyped. */
export class SinkParamError extends SinkError {
  constructor(sinkName: string, readonly field: string, readonly reason: string) {
    super(sinkName, `sink config '${sinkName}': '${field}' ${reason}`);
    this.name = "SinkParamError";
  }
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};

/** Parses a con4m Size (`4096`, `64kb`, `10 MB`) to bytes; undefined when malformed. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === "bigint") return value >= 0n ? Number(value) : undefined;
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : undefined;
}

function typeProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case "string":
      return typeof value === "string" ? undefined : "must be a string";
    case "bool":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "int":
      return (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value)))
        ? undefined
        : "must be an integer";
    case "size":
      return parseSize(value) !== undefined ? undefined : "must be a size such as 4096 or 64kb";
    case "list":
      return Array.isArray(value) && value.every((v) => typeof v === "string")
        ? undefined
        : "must be a list of strings";
    case "dict": {
      const entries = value instanceof Map
        ? [...value.entries()]
        : typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.entries(value)
        : undefined;
      return entries?.every(([k, v]) => typeof k === "string" && typeof v === "string")
        ? undefined
        : "must be a dictionary of strings to strings";
    }
  }
}

/**
 * Checks `config.params` against its sink type: unknown parameters, missing
 * required ones and wrong types are rejected; throws `SinkParamError`.
 *
 * @example
 * ```ts
 * validateSinkParams({ name: "out", sink: "post", enabled: true, filters: [], params: {} });
 * // throws: sink config 'out': 'uri' is required by sink type 'post'
 * ```
 */
export function validateSinkParams(config: SinkConfig): void {
  if (config.sink === "") {
    throw new SinkParamError(config.name, "sink", "is not set: the sink config names no sink type");
  }
  const specs = SINK_PARAMETERS[config.sink];
  if (!specs) {
    throw new SinkParamError(config.name, "sink", `names unknown sink type '${config.sink}'`);
  }
  for (const [field, value] of Object.entries(config.params)) {
    if (COMMON_KEYS.has(field)) continue;
    const spec = specs[field];
    if (!spec) {
      throw new SinkParamError(
        config.name,
        field,
        `is not a parameter of sink type '${config.sink}'`,
      );
    }
    if (value === undefined || value === null) continue;
    const problem = typeProblem(spec, value);
    if (problem) throw new SinkParamError(config.name, field, problem);
  }
  for (const [field, spec] of Object.entries(specs)) {
    const value = config.params[field];
    if (spec.required && (value === undefined || value === null || value === "")) {
      throw new SinkParamError(config.name, field, `is required by sink type '${config.sink}'`);
    }
  }
  if (config.sink === "post" || config.sink === "presign") checkHttpParams(config);
  if (config.sink === "rotating_log") checkRotatingParams(config);
  if (config.sink === "s3") checkS3Params(config);
}

function checkHttpParams(config: SinkConfig): void {
  const uri = stringParam(config, "uri") ?? "";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new SinkParamError(config.name, "uri", `is not a URL: '${redactUrl(uri)}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SinkParamError(config.name, "uri", "must be an http:// or https:// URL");
  }
  if (url.protocol === "http:") {
    if (boolParam(config, "disallow_http")) {
      throw new SinkParamError(config.name, "uri", "http:// URLs not allowed (only https).");
    }
    const pinned = ["pinned_cert_file", "pinned_cert"].find((f) => stringParam(config, f));
    if (pinned) {
      throw new SinkParamError(config.name, pinned, "needs an https:// 'uri', not http://");
    }
  }
  if (stringParam(config, "pinned_cert_file") && stringParam(config, "pinned_cert")) {
    throw new SinkParamError(
      config.name,
      "pinned_cert",
      "cannot be combined with 'pinned_cert_file'",
    );
  }
  if (config.params.auth !== undefined && !(config.auth && "header" in config.auth)) {
    const problem = config.auth && "problem" in config.auth ? config.auth.problem : undefined;
    throw new SinkParamError(config.name, "auth", problem ?? "names no auth_config");
  }
  checkPositive(config, "disable_after_errors");
}

function checkPositive(config: SinkConfig, field: string): void {
  const n = intParam(config, field);
  if (n !== undefined && n <= 0) throw new SinkParamError(config.name, field, "must be > 0");
}

function checkRotatingParams(config: SinkConfig): void {
  const max = sizeParam(config, "max") ?? 0;
  if (max < 1024) throw new SinkParamError(config.name, "max", "must be at least 1024 bytes");
  const cut = sizeParam(config, "truncation_amount");
  if (cut !== undefined && (cut <= 0 || cut >= max)) {
    throw new SinkParamError(
      config.name,
      "truncation_amount",
      `must be more than 0 and less than 'max' (${max})`,
    );
  }
}

function checkS3Params(config: SinkConfig): void {
  const uri = stringParam(config, "uri") ?? "";
  if (!/^s3:\/\/[^/]+\/.*[^/]$/.test(uri)) {
    throw new SinkParamError(
      config.name,
      "uri",
      "requires a URI of the form s3://bucket-name/object-path",
    );
  }
  const endpoint = stringParam(config, "endpoint");
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new SinkParamError(config.name, "endpoint", "must be an http:// or https:// base URL");
  }
  checkPositive(config, "disable_after_errors");
}

/** A string parameter, or undefined when absent. */
export function stringParam(config: SinkConfig, field: string): string | undefined {
  const v = config.params[field];
  return typeof v === "string" ? v : undefined;
}

/** A boolean parameter, or undefined when absent. */
export function boolParam(config: SinkConfig, field: string): boolean | undefined {
  const v = config.params[field];
  return typeof v === "boolean" ? v : undefined;
}

/** An integer parameter (con4m ints arrive as bigint or number), or undefined. */
export function intParam(config: SinkConfig, field: string): number | undefined {
  const v = config.params[field];
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" ? v : undefined;
}

/** A Size parameter in bytes, or undefined when absent or malformed. */
export function sizeParam(config: SinkConfig, field: string): number | undefined {
  const v = config.params[field];
  return v === undefined || v === null ? undefined : parseSize(v);
}

/** A dictionary parameter as string pairs (empty when absent). */
export function dictParam(config: SinkConfig, field: string): [string, string][] {
  const v = config.params[field];
  const entries = v instanceof Map
    ? [...v.entries()]
    : typeof v === "object" && v !== null && !Array.isArray(v)
    ? Object.entries(v)
    : [];
  return entries.filter((e): e is [string, string] =>
    typeof e[0] === "string" && typeof e[1] === "string"
  );
}

/** A URL fit for messages: user, password and query string removed. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = "";
    url.password = "";
    url.search = url.search ? "?…" : "";
    return url.toString();
  } catch {
    return text.replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "");
  }
}
