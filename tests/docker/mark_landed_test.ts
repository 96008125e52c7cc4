/**
 * The check after a build that chalk's labels and `/chalk.json` reached the
 * image, against the history and labels of images the real builders made: a
 * Dockerfile whose last `RUN` swallowed chalk's block (what a continuation
 * left open at the end of the file did) and one where the block landed.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { run, sandbox } from "../e2e/_chalk.ts";
import { buildkitPath, docker, dockerUnavailable, imageLabels, removeImages } from "./_docker.ts";
import { isMarkCopyStep, missingAdditions } from "../../docker/mark_landed.ts";

const LABEL = "run.crashoverride.commit-id";
const COPY = `COPY ["chalk.json.chalk","/chalk.json"]\n`;
const BLOCK = `LABEL ${LABEL}="c0ffee"\n${COPY}`;

async function newestStep(image: string): Promise<string> {
  const out = await docker(["history", "--no-trunc", "--format", "{{json .CreatedBy}}", image]);
  return JSON.parse(out.split("\n")[0]) as string;
}

const BUILDERS = [
  { name: "legacy builder", env: { DOCKER_BUILDKIT: "0" } as Record<string, string> },
  { name: "BuildKit", env: { DOCKER_BUILDKIT: "1", PATH: buildkitPath ?? "" } },
];

for (const builder of BUILDERS) {
  Deno.test({
    name: `missingAdditions tells a swallowed chalk block from a landed one (${builder.name})`,
    ignore: dockerUnavailable !== undefined ||
      (builder.name === "BuildKit" && buildkitPath === undefined),
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const box = await sandbox();
      const tags = ["swallowed-label", "swallowed-copy", "landed"].map((t) =>
        `chalk-test-landed:${t}`
      );
      try {
        const dir = `${box.work}/ctx`;
        await Deno.mkdir(dir);
        await Deno.writeTextFile(`${dir}/chalk.json.chalk`, "{}\n");
        // An open continuation swallows the first line of the block that follows it.
        const texts = [
          `FROM busybox-base\nRUN echo a > /a.txt \\\n${BLOCK}`,
          `FROM busybox-base\nRUN echo a > /a.txt \\\n${COPY}`,
          `FROM busybox-base\nRUN echo a > /a.txt\n${BLOCK}`,
        ];
        for (const [i, text] of texts.entries()) {
          await Deno.writeTextFile(`${dir}/Dockerfile`, text);
          const r = await run("docker", ["build", "--network=none", "-q", "-t", tags[i], "."], {
            cwd: dir,
            env: { ...box.env, ...builder.env },
          });
          assertEquals(r.code, 0, r.stderr);
        }
        const [noLabel, noCopy, landed] = await Promise.all(
          tags.map(async (t) => ({
            labels: await imageLabels(t),
            newestStep: await newestStep(t),
          })),
        );
        const expected = { labels: [LABEL], markCopy: true };
        assertMatch(
          missingAdditions(expected, noLabel) ?? "",
          new RegExp(`label ${LABEL} is not set`),
        );
        assertEquals(isMarkCopyStep(noCopy.newestStep), false, noCopy.newestStep);
        assertMatch(
          missingAdditions({ labels: [], markCopy: true }, noCopy) ?? "",
          /last step is not the COPY of \/chalk\.json/,
        );
        assert(isMarkCopyStep(landed.newestStep), landed.newestStep);
        assertEquals(missingAdditions(expected, landed), undefined);
      } finally {
        await removeImages(...tags);
        await box.cleanup();
      }
    },
  });
}
