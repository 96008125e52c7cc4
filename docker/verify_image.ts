/**
 * The image side of `chalk verify`: read the local image's mark, then fetch
 * and check its attestation in the registries it was pushed to
 * (docs/trust.md, "chalk verify").
 *
 * @module
 */
import { ChalkError, errorMessage } from "../internal/errors.ts";
import type { RunContext } from "../ops/run_context.ts";
import type { ImageVerifier } from "../ops/verify.ts";
import type { SignatureCheck } from "../trust/mark_signature.ts";
import { asSignatureCheck } from "../trust/attestation_check.ts";
import { imageAttestation } from "./attest_image.ts";
import { DockerClient } from "./docker_client.ts";
import { findDocker } from "./docker_exe.ts";
import { extractImage } from "./docker_extract.ts";
import { registryLocations } from "./image_attestation.ts";

/** Verifies local images by name through docker and their registries. */
export function dockerImageVerifier(ctx: RunContext): ImageVerifier {
  return async (name, trusted) => {
    const exe = findDocker({ selfPath: ctx.self.path, dockerExe: ctx.config.docker.dockerExe });
    if (exe === undefined) {
      throw new ChalkError(`${name}: no such file, and no docker command to look for an image`);
    }
    const client = new DockerClient(exe);
    const inspect = await client.inspect(name, "image");
    if (!inspect) return undefined;
    const item = await extractImage(client, inspect, name);
    if (!item.mark) throw new ChalkError(`${name}: Artifact is unchalked`);
    const images = registryLocations(inspect);
    let attestation: SignatureCheck;
    if (images.length === 0) {
      attestation = { status: "unsigned", reason: "the image was never pushed to a registry" };
    } else {
      try {
        attestation = asSignatureCheck(await imageAttestation(images, item.mark, trusted));
      } catch (e) {
        attestation = { status: "unsigned", reason: errorMessage(e) };
      }
    }
    return {
      mark: item.mark,
      ...(item.problem === undefined ? {} : { markProblem: item.problem }),
      attestation,
    };
  };
}
