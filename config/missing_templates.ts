/**
 * Templates the run would look up and the configuration does not define. A configuration file is
 * checked as it loads (`outconf_check`, `custom_report_check` in `chalk.c42spec`), but a flag
 * (`--report-template`, `--mark-template`) is an override installed before any layer, so nothing
 * checked it: an unknown name surfaced only when the reports were built, after every file had
 * been rewritten, and the report was lost. `ops/open_run.ts` asks here before a command runs.
 *
 * @module
 */
import type { ChalkConfig } from "./chalk_config.ts";

/** One template name that names nothing. */
export interface MissingTemplate {
  /** Where the name is set: `outconf.insert`, `custom_report.terminal_chalk_time`. */
  readonly section: string;
  readonly kind: "mark" | "report";
  readonly name: string;
}

/**
 * The names every `outconf` section and every custom report give that have no template of their
 * kind: the templates any command of this configuration would use, all of them (a few dozen
 * lookups), so that no command starts work it could not report.
 */
export function missingTemplates(config: ChalkConfig): MissingTemplate[] {
  const rt = config.runtime;
  const known = {
    mark: new Set(config.templateNames("mark")),
    report: new Set(config.templateNames("report")),
  };
  const missing: MissingTemplate[] = [];
  const check = (section: string, kind: "mark" | "report", name: string | undefined) => {
    if (name !== undefined && name !== "" && !known[kind].has(name)) {
      missing.push({ section, kind, name });
    }
  };
  for (const command of rt.sectionNames("outconf")) {
    const section = `outconf.${command}`;
    check(section, "mark", rt.findString(`${section}.mark_template`));
    check(section, "report", rt.findString(`${section}.report_template`));
  }
  for (const name of rt.sectionNames("custom_report")) {
    const section = `custom_report.${name}`;
    check(section, "report", rt.findString(`${section}.report_template`));
  }
  return missing;
}
