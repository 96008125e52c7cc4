/**
 * `chalk extract` arguments: the words `images`, `containers`, `all`,
 * existing paths (walked as files) and the rest (docker image or container
 * names). Docker items are extracted by `docker/`, files by `ops/extract.ts`.
 *
 * @module
 */

/** `chalk extract` arguments split into files and docker items . */
export interface ExtractTargets {
  /** File and folder arguments to walk. */
  files: string[];
  /** True when the file walk runs (file arguments given, or none at all, or `all`). */
  walkFiles: boolean;
  /** Image or container names/ids. */
  names: string[];
  /** `extract images` / `all`. */
  allImages: boolean;
  /** `extract containers` / `all`. */
  allContainers: boolean;
}

/** Whether `targets` name images or containers (then docker is asked). */
export function wantsDocker(targets: ExtractTargets): boolean {
  return targets.names.length > 0 || targets.allImages || targets.allContainers;
}

/** Splits extract arguments: `images|containers|all`, existing paths, and docker names. */
export function splitExtractTargets(targets: readonly string[]): ExtractTargets {
  const word = targets.length === 1 ? targets[0] : undefined;
  if (word === "images" || word === "containers" || word === "all") {
    return {
      files: word === "all" ? ["."] : [],
      walkFiles: word === "all",
      names: [],
      allImages: word !== "containers",
      allContainers: word !== "images",
    };
  }
  const files: string[] = [];
  const names: string[] = [];
  for (const t of targets) {
    let exists = true;
    try {
      Deno.lstatSync(t);
    } catch {
      exists = false;
    }
    (exists ? files : names).push(t);
  }
  return {
    files,
    walkFiles: files.length > 0 || names.length === 0,
    names,
    allImages: false,
    allContainers: false,
  };
}
