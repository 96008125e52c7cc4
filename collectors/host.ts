/**
 * Facts about the host and this invocation (the original's `system`
 * plugin): chalk-time host keys for marks, run-time host keys for reports.
 * Pure assembly from what the caller passes plus the process.
 */
import { basename, dirname } from "../internal/posix_path.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { chalkTimes } from "./time.ts";
import { DEFAULT_ENV_POLICY, type EnvFilterPolicy, filterEnv } from "./env_filter.ts";
import { platformString, readUname } from "./uname.ts";
import { randomHex64 } from "../internal/hex.ts";
import { ciBuildKeys, detectCiBuild } from "./ci.ts";

/** What the host collector needs to know about the invocation. */
export interface InvocationFacts {
  /** Path of the running chalk program. */
  selfPath: string;
  /** The command line after the program name. */
  args: readonly string[];
  /** Positional arguments of the command (search paths). */
  commandArgs: readonly string[];
  /** Flags as given, `--flag` or `--flag=value`. */
  flags: readonly string[];
  /** When the operation started: every time key derives from it. */
  started: Date;
  version: string;
  /** Commit of chalk-ts itself, when known. */
  commit?: string;
  envPolicy?: EnvFilterPolicy;
}

function envDict(policy: EnvFilterPolicy): MarkDict {
  return new Map(filterEnv(Object.entries(Deno.env.toObject()), policy));
}

/** Chalk-time host keys (collected once per chalking run). */
export function chalkTimeHostKeys(facts: InvocationFacts): MarkDict {
  const t = chalkTimes(facts.started);
  const u = readUname();
  const keys: MarkDict = new Map();
  keys.set("TIMESTAMP_WHEN_CHALKED", t.timestamp);
  keys.set("DATETIME_WHEN_CHALKED", t.datetime);
  keys.set("DATE_CHALKED", t.date);
  keys.set("TIME_CHALKED", t.time);
  keys.set("TZ_OFFSET_WHEN_CHALKED", t.tzOffset);
  keys.set("PLATFORM_WHEN_CHALKED", platformString());
  if (facts.commit) keys.set("INJECTOR_COMMIT_ID", facts.commit);
  keys.set("INJECTOR_VERSION", facts.version);
  keys.set("INJECTOR_ARGV", [...facts.commandArgs]);
  keys.set("INJECTOR_ENV", envDict(facts.envPolicy ?? DEFAULT_ENV_POLICY));
  keys.set("HOST_SYSNAME_WHEN_CHALKED", u.sysname);
  keys.set("HOST_NODENAME_WHEN_CHALKED", u.nodename);
  keys.set("HOST_RELEASE_WHEN_CHALKED", u.release);
  keys.set("HOST_VERSION_WHEN_CHALKED", u.version);
  keys.set("HOST_MACHINE_WHEN_CHALKED", u.machine);
  // v0.1's names for two of them (the tutorial's marks and reports show these).
  keys.set("HOSTINFO_WHEN_CHALKED", u.version);
  keys.set("NODENAME_WHEN_CHALKED", u.nodename);
  for (const [k, v] of ciBuildKeys(detectCiBuild(Deno.env.toObject()), "")) keys.set(k, v);
  return keys;
}

export { randomHex64 } from "../internal/hex.ts";

/** Run-time host keys (collected for every report). */
export function runTimeHostKeys(
  operation: string,
  facts: InvocationFacts,
  now = new Date(),
): MarkDict {
  const t = chalkTimes(now);
  const u = readUname();
  const keys: MarkDict = new Map();
  keys.set("_OPERATION", operation);
  keys.set("_TIMESTAMP", t.timestamp);
  keys.set("_DATETIME", t.datetime);
  keys.set("_DATE", t.date);
  keys.set("_TIME", t.time);
  keys.set("_TZ_OFFSET", t.tzOffset);
  keys.set("_ACTION_ID", randomHex64());
  keys.set("_ARGV", [...facts.commandArgs]);
  keys.set("_ENV", envDict(facts.envPolicy ?? DEFAULT_ENV_POLICY));
  keys.set("_OP_ARGV", [facts.selfPath, ...facts.args]);
  keys.set("_OP_CMD_FLAGS", [...facts.flags]);
  if (facts.commit) keys.set("_OP_CHALKER_COMMIT_ID", facts.commit);
  keys.set("_OP_CHALKER_VERSION", facts.version);
  keys.set("_OP_PLATFORM", platformString());
  keys.set("_OP_EXE_NAME", basename(facts.selfPath));
  keys.set("_OP_EXE_PATH", dirname(facts.selfPath));
  keys.set("_OP_HOSTNAME", Deno.hostname());
  keys.set("_OP_HOST_SYSNAME", u.sysname);
  keys.set("_OP_HOST_NODENAME", u.nodename);
  keys.set("_OP_HOST_RELEASE", u.release);
  keys.set("_OP_HOST_VERSION", u.version);
  keys.set("_OP_HOST_MACHINE", u.machine);
  keys.set("_OP_HOSTINFO", u.version);
  keys.set("_OP_NODENAME", u.nodename);
  keys.set("_OP_SEARCH_PATH", facts.commandArgs.length > 0 ? [...facts.commandArgs] : ["."]);
  keys.set("_CHALK_RUN_TIME", BigInt(now.getTime() - facts.started.getTime()));
  for (const [k, v] of ciBuildKeys(detectCiBuild(Deno.env.toObject()), "_")) keys.set(k, v);
  return keys;
}
