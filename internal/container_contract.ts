/**
 * What a wrapped image and `chalk exec` agree on (docs/docker.md, docs/exec.md):
 * `docker/` writes these into the image, `exec/` reads them at start-up.
 *
 * @module
 */

/** JSON array of the argv words that start chalk's own runtime inside the image. */
export const RUNTIME_ENV = "CHALK_TS_RUNTIME";

/**
 * JSON object (name → value) of the variables the image sets only for
 * chalk's runtime: `chalk exec` drops each one still holding that value
 * before it starts the workload.
 */
export const RUNTIME_OWN_ENV = "CHALK_TS_RUNTIME_ENV";

/** Where an image built by chalk keeps its chalk mark. */
export const CONTAINER_MARK_PATH = "/chalk.json";

/**
 * chalk's hidden command that loads its configuration and the exec reporter's modules and
 * reports nothing: run once per chalk to make the code cache of the shared runtime layer.
 */
export const WARM_UP_COMMAND = "__warm-up";

/**
 * chalk's hidden command that the native init (`docker.wrap_init`, docker/init/chalk_init.c)
 * starts after the workload: `__init-report <pid> -- <workload argv>`. It reports about that PID
 * and answers the init on descriptor {@link INIT_REPORT_FD}.
 */
export const INIT_REPORT_COMMAND = "__init-report";

/** The descriptor on which the native init's reporter says `ok` or `failed <reason>`. */
export const INIT_REPORT_FD = 3;
