/**
 * Which reports exist and where they go, as data: sink configs, topic
 * subscriptions, custom reports and the per-command `outconf`. The values come
 * from the configuration (`config/base/*.c4m` and user layers) through
 * `ChalkConfig.outputConfig()`.
 */
import type { SinkConfig } from "../sinks/sink.ts";

/** `outconf <command> { mark_template, report_template }`. */
export interface OutConf {
  readonly markTemplate?: string;
  readonly reportTemplate: string;
}

/** `custom_report <name> { ... }`. */
export interface CustomReport {
  readonly name: string;
  readonly enabled: boolean;
  readonly reportTemplate: string;
  readonly sinkConfigs: readonly string[];
  /** Commands the report runs for; `*` means all. */
  readonly useWhen: readonly string[];
}

/** Everything that decides the reports of a run. */
export interface OutputConfig {
  readonly sinkConfigs: readonly SinkConfig[];
  readonly subscriptions: readonly (readonly [topic: string, sink: string])[];
  readonly customReports: readonly CustomReport[];
  readonly outconf: Readonly<Record<string, OutConf>>;
}
