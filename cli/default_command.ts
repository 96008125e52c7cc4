/**
 * `default_command` (docs/configuration.md): the command run when the command line names none,
 * as in Chalk, where the configuration is loaded first and the command line then read again with
 * it. `chalk` alone stays quick: the configuration is evaluated only when a text that would load
 * names `default_command` (con4m cannot reach the attribute without naming it).
 *
 * @module
 */
import { Logger } from "../internal/logger.ts";
import { mentions, probeConfigTexts } from "../ops/config_probe.ts";
import type { SelfInfo } from "../ops/self_path.ts";
import type { FastFlags } from "./fast_flags.ts";

/**
 * The command to run for a command line of global flags only (`flags`): `help` unless a
 * configuration names another; undefined when the configuration does not load (the reason is
 * printed).
 */
export async function defaultCommand(
  self: SelfInfo,
  typed: readonly string[],
  flags: FastFlags,
): Promise<string | undefined> {
  const layers = {
    configFile: flags.configFile,
    useEmbeddedConfig: flags.useEmbeddedConfig,
    useExternalConfig: flags.useExternalConfig,
  };
  const texts = await probeConfigTexts(self, layers);
  if (texts !== undefined && !texts.some((t) => mentions(t, ["default_command"]))) return "help";
  const { embeddedConfig, selfMark } = await import("../ops/self_mark.ts");
  const { loadRunConfig } = await import("../ops/open_run.ts");
  const config = await loadRunConfig({
    command: "help",
    args: typed,
    commandArgs: [],
    opts: layers,
    given: new Set(),
    self,
    embedded: embeddedConfig(selfMark(self)),
  }, new Logger(flags.logLevel ?? "error"));
  return config?.defaultCommand;
}
