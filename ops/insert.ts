/**
 * `insert`: mark every artifact found, write the mark through its codec (or
 * to virtual-chalk.json in the state folder with --virtual), then report.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { chalkRand } from "../codecs/identity.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { EXIT } from "../internal/errors.ts";
import { type ArtifactOutcome, forEachArtifact } from "./artifact_loop.ts";
import { composeMark } from "./compose_mark.ts";
import { replaceWithPlan, writeTarget } from "./file_io.ts";
import { withWriteBehind, type WriteBehind } from "./write_behind.ts";
import type { HeldLog } from "../internal/logger.ts";
import { type Marking, planMarking, setHashKeys } from "./plan_marking.ts";
import { RepoFacts } from "./repo_facts.ts";
import { openSigner } from "./signing_identity.ts";
import type { SigningKey } from "../trust/signing_key.ts";
import { publishReports } from "./reporting.ts";
import { pathWithinVctl, repositoryReader } from "./run_time_git.ts";
import { assertRewritable } from "./rewrite_rights.ts";
import type { RunContext } from "./run_context.ts";
import type { ScannedArtifact } from "./scan.ts";
import type { Template } from "../reports/templates.ts";
import { UserKeys } from "./user_keys.ts";

/** Chalk-time artifact keys, in the order chalk collects them (hash keys still to be set). */
async function collectArtifactKeys(
  ctx: RunContext,
  scanned: ScannedArtifact,
  repos: RepoFacts,
): Promise<MarkDict> {
  const { path } = scanned;
  const data: MarkDict = new Map();
  data.set("PRE_CHALK_HASH", "");
  data.set("CHALK_ID", "");
  data.set("HASH", "");
  data.set("PATH_WHEN_CHALKED", path);
  data.set("ARTIFACT_TYPE", scanned.type);
  const git = await repos.git(path, (m) => ctx.log.warn(m));
  // VCS_DIR_WHEN_CHALKED among them only when the repository has a commit.
  for (const [k, v] of git?.keys ?? []) data.set(k, v);
  const owners = await repos.codeOwners(path);
  if (owners !== undefined) data.set("CODE_OWNERS", owners);
  data.set("CHALK_VERSION", ctx.facts.version);
  data.set("CHALK_RAND", chalkRand());
  // Only private `$` keys survive a re-mark (persistInternalValues).
  for (const [k, v] of scanned.found?.mark ?? []) if (k.startsWith("$")) data.set(k, v);
  return data;
}

/** Marks one artifact (in place, or virtually). */
async function insertOne(
  ctx: RunContext,
  scanned: ScannedArtifact,
  run: {
    host: MarkDict;
    repos: RepoFacts;
    markTemplate: Template;
    userKeys?: UserKeys;
    signer?: SigningKey;
    writer?: WriteBehind;
  },
): Promise<ArtifactOutcome> {
  const { path } = scanned;
  if (scanned.found) {
    if (scanned.found.mark.has("$CHALK_CONFIG")) {
      ctx.log.info(`${path}: Is a configured chalk exe; skipping insertion.`);
      return { kind: "skip" };
    }
    ctx.log.info(`${path}: Existing chalk mark extracted`);
  }
  const { virtual } = ctx.options;
  if (!virtual) assertRewritable(path, scanned.file);
  const data = await collectArtifactKeys(ctx, scanned, run.repos);
  await run.userKeys?.addArtifactKeys(data, "chalk", path);
  const mark = () =>
    planMarking(scanned, (hashes) => {
      setHashKeys(data, hashes);
      return writeMarkJson(composeMark(run.host, data, run.markTemplate, run.signer));
    }, virtual);
  let marking: Marking;
  let written: Promise<void> | undefined;
  if (virtual) {
    marking = await mark();
  } else {
    const target = writeTarget(path, ctx.options.symlinkChalking);
    ({ written } = await replaceWithPlan(target, scanned.file, async () => {
      marking = await mark();
      return { plan: marking.plan!, values: { mark: marking.markBytes } };
    }, run.writer));
  }
  data.set("_VIRTUAL", virtual);
  data.set("_OP_ARTIFACT_TYPE", scanned.type);
  const withinVctl = pathWithinVctl(path, data.get("VCS_DIR_WHEN_CHALKED"));
  if (withinVctl !== undefined) data.set("_OP_ARTIFACT_PATH_WITHIN_VCTL", withinVctl);
  data.set("_CURRENT_HASH", marking!.current);
  await run.userKeys?.addArtifactKeys(data, "run", path);
  if (virtual) {
    await ctx.hub.publish("virtual", marking!.markText);
    ctx.log.info(`${path}: virtual chalk created.`);
    return { kind: "report", data };
  }
  const finish = (log: Pick<HeldLog, "info">) => {
    log.info(`${path}: chalk mark successfully added`);
    return { kind: "report" as const, data };
  };
  return written ? { kind: "pending", written, finish } : finish(ctx.log);
}

/** Runs `insert` over `targets` (default: the current folder); returns the exit status. */
export async function insertArtifacts(
  ctx: RunContext,
  targets: readonly string[],
): Promise<number> {
  // A signing key that does not load fails the run before any file is touched (an unknown
  // template never gets this far: `openRun` refuses it).
  const signer = openSigner(ctx);
  const host = chalkTimeHostKeys(ctx.facts);
  const markTemplate = ctx.template(ctx.output.outconf.insert?.markTemplate ?? "mark_default");
  const userKeys = UserKeys.for(ctx, "insert", markTemplate);
  await userKeys?.addHostKeys(host, "chalk");
  const repos = new RepoFacts(repositoryReader(ctx));
  const { artifacts, tally } = await withWriteBehind(
    ctx.options.symlinkChalking,
    (writer) =>
      forEachArtifact(ctx, targets, {
        modifies: true,
        chalking: true,
        failure: "insertion",
        writer,
        apply: (scanned) =>
          insertOne(ctx, scanned, { host, repos, markTemplate, userKeys, signer, writer }),
      }),
  );
  await publishReports(ctx, "insert", host, artifacts, tally);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
