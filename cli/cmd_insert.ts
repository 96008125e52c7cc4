/**
 * `chalk insert [PATH...]` (commands-runtime §2.1): mark every artifact
 * found, write the mark through its codec (or to ./virtual-chalk.json with
 * --virtual), then report.
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { MAGIC } from "../codecs/mark_value.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { chalkIdFromHash, chalkRand, metadataHashOf } from "../codecs/identity.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { filterByTemplate, sortByKeyOrder } from "../reports/build_report.ts";
import { FORCED_MARK_KEYS, type Template } from "../reports/templates.ts";
import { replaceFile, sha256Hex, writeTarget } from "./file_io.ts";
import { RepoFacts } from "./repo_facts.ts";
import { type OperationTally, publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { scanArtifact, type ScannedArtifact } from "./scan.ts";
import { compileIgnore, walkArtifacts } from "./walk.ts";

/** Builds the mark written into an artifact: template keys, forced keys, then METADATA_*. */
export function composeMark(host: MarkDict, artifact: MarkDict, template: Template): MarkDict {
  const all: MarkDict = new Map([...host, ...artifact]);
  all.set("MAGIC", MAGIC);
  const mark = filterByTemplate(
    all,
    { name: template.name, keys: new Set([...template.keys, ...FORCED_MARK_KEYS]) },
  );
  mark.delete("METADATA_ID");
  mark.delete("METADATA_HASH");
  const { hash, id } = metadataHashOf(mark);
  if (template.keys.has("METADATA_HASH")) mark.set("METADATA_HASH", hash);
  mark.set("METADATA_ID", id);
  artifact.set("METADATA_HASH", hash);
  artifact.set("METADATA_ID", id);
  return sortByKeyOrder(mark);
}

/** Chalk-time artifact keys, in the order chalk collects them. */
async function collectArtifactKeys(
  ctx: RunContext,
  scanned: ScannedArtifact,
  repos: RepoFacts,
): Promise<MarkDict> {
  const { file, codec, path } = scanned;
  const hash = sha256Hex(codec.unchalkedHashInput(file.bytes, scanned.facts));
  const data: MarkDict = new Map();
  data.set("PRE_CHALK_HASH", sha256Hex([file.bytes]));
  data.set("CHALK_ID", chalkIdFromHash(hash));
  data.set("HASH", hash);
  data.set("PATH_WHEN_CHALKED", path);
  data.set("ARTIFACT_TYPE", scanned.type);
  const git = await repos.git(path, (m) => ctx.log.warn(m));
  if (git) {
    for (const [k, v] of git.keys) data.set(k, v);
    data.set("VCS_DIR_WHEN_CHALKED", git.vcsDir);
  }
  const owners = await repos.codeOwners(path);
  if (owners !== undefined) data.set("CODE_OWNERS", owners);
  data.set("CHALK_VERSION", ctx.facts.version);
  data.set("CHALK_RAND", chalkRand());
  // Only private `$` keys survive a re-mark (persistInternalValues).
  for (const [k, v] of scanned.found?.mark ?? []) if (k.startsWith("$")) data.set(k, v);
  return data;
}

/** Runs `insert`. */
export async function runInsert(ctx: RunContext, targets: readonly string[]): Promise<void> {
  const host = chalkTimeHostKeys(ctx.facts);
  const markTemplate = ctx.template(ctx.output.outconf.insert?.markTemplate ?? "mark_default");
  const repos = new RepoFacts();
  const artifacts: MarkDict[] = [];
  const tally: OperationTally = { chalked: 0, unmarked: [] };
  const walk = walkArtifacts(targets, {
    recursive: ctx.options.recursive,
    ignore: compileIgnore(ctx.ignorePatterns),
    fileLinks: ctx.options.symlinkChalking === "skip" ? "skip" : "follow",
    selfPath: ctx.self.path,
  }, {
    error: (m) => {
      ctx.log.error(m);
      ctx.failed = true;
    },
    warn: (m) => ctx.log.warn(m),
    self: () =>
      ctx.log.error(
        "Cannot use this command to modify this chalk executable. Please use 'chalk load' to modify.",
      ),
  });

  for await (const path of walk) {
    let scanned: ScannedArtifact | undefined;
    try {
      scanned = scanArtifact(path, true);
    } catch (e) {
      ctx.log.error((e as Error).message);
      ctx.failed = true;
      continue;
    }
    if (!scanned) continue;
    if (scanned.found) {
      if (scanned.found.mark.has("$CHALK_CONFIG")) {
        ctx.log.info(`${path}: Is a configured chalk exe; skipping insertion.`);
        continue;
      }
      ctx.log.info(`${path}: Existing chalk mark extracted`);
    }
    try {
      const data = await collectArtifactKeys(ctx, scanned, repos);
      const markText = writeMarkJson(composeMark(host, data, markTemplate));
      data.set("_VIRTUAL", ctx.options.virtual);
      data.set("_OP_ARTIFACT_TYPE", scanned.type);
      if (ctx.options.virtual) {
        await ctx.hub.publish("virtual", markText);
        data.set("_CURRENT_HASH", sha256Hex([scanned.file.bytes]));
        ctx.log.info(`${path}: virtual chalk created.`);
      } else {
        const chunks = scanned.codec.insert(scanned.file.bytes, markText, scanned.facts);
        replaceFile(writeTarget(path, ctx.options.symlinkChalking), chunks, scanned.file);
        data.set("_CURRENT_HASH", sha256Hex(chunks));
        ctx.log.info(`${path}: chalk mark successfully added`);
      }
      tally.chalked++;
      artifacts.push(data);
    } catch (e) {
      ctx.log.error(`${path}: insertion failed: ${(e as Error).message}`);
      ctx.failed = true;
    }
  }
  await publishReports(ctx, "insert", host, artifacts, tally);
}
