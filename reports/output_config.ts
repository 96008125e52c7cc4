/**
 * Which reports exist and where they go, as data (commands-runtime §3.2,
 * §4.6): sink configs, topic subscriptions, custom reports and the
 * per-command `outconf`. The base configuration supplies these values.
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

/** chalk's default wiring (§4.6): full report to the log file, summary to stdout. */
export const DEFAULT_OUTPUT_CONFIG: OutputConfig = {
  sinkConfigs: [
    { name: "console_out", sink: "stdout", enabled: true, filters: [], params: {} },
    { name: "console_err", sink: "stderr", enabled: true, filters: [], params: {} },
    {
      name: "json_console_out",
      sink: "stdout",
      enabled: true,
      filters: ["pretty_json", "fix_new_line"],
      params: {},
    },
    {
      name: "json_console_err",
      sink: "stderr",
      enabled: true,
      filters: ["pretty_json", "fix_new_line"],
      params: {},
    },
    {
      name: "virtual_chalk_log",
      sink: "file",
      enabled: true,
      filters: ["fix_new_line"],
      params: { filename: "./virtual-chalk.json" },
    },
    {
      name: "default_out",
      sink: "file",
      enabled: true,
      filters: [],
      params: { filename: "~/.local/chalk/chalk.log" },
      onWriteMsg: "Full chalk report appended to: ~/.local/chalk/chalk.log",
    },
  ],
  subscriptions: [
    ["report", "default_out"],
    ["virtual", "virtual_chalk_log"],
    ["version", "console_out"],
    ["help", "console_out"],
    ["confdump", "console_out"],
  ],
  customReports: [
    {
      name: "terminal_chalk_time",
      enabled: true,
      reportTemplate: "terminal_insert",
      sinkConfigs: ["json_console_out"],
      useWhen: ["insert", "build", "push"],
    },
    {
      name: "terminal_other_op",
      enabled: true,
      reportTemplate: "terminal_rest",
      sinkConfigs: ["json_console_out"],
      useWhen: ["extract", "delete", "env", "pull"],
    },
  ],
  outconf: {
    insert: { markTemplate: "mark_default", reportTemplate: "insertion_default" },
    build: { markTemplate: "mark_default", reportTemplate: "insertion_default" },
    push: { reportTemplate: "insertion_default" },
    extract: { reportTemplate: "report_default" },
    delete: { reportTemplate: "report_default" },
    exec: { reportTemplate: "report_default" },
    heartbeat: { reportTemplate: "heartbeat" },
  },
};
