/**
 * Builds chalk-ts from `cli/entry.ts` (one code path for both shapes; docs/decisions.md,
 * "Self is the running artifact"):
 *   deno task build    → dist/chalk, a single-file bundle started by a sh prologue (offline)
 *   deno task compile  → dist/chalk-bin, a `deno compile` binary (downloads Deno's
 *                        runtime once, so it needs network)
 * The commit of this checkout is stamped into the output when known.
 */
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { PROGRAM_END, shPrologue } from "./sh_prologue.ts";
import { CHALK_V8_FLAGS } from "../internal/v8_flags.ts";

const root = dirname(dirname(fromFileUrl(import.meta.url)));
const dist = join(root, "dist");
const TOKEN = "__CHALK_TS_BUILD_COMMIT__";
const ENTRY = "cli/entry.ts";

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd: root, stderr: "inherit", stdout: "piped" })
    .output();
  if (!out.success) {
    console.error(`build: '${cmd} ${args.join(" ")}' failed with exit code ${out.code}`);
    Deno.exit(1);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

async function headCommit(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd: root }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    return out.success && /^[0-9a-f]{40}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

await Deno.mkdir(dist, { recursive: true });
const commit = await headCommit();

/**
 * `require` of a node built-in gives a stand-in that loads the module at its first use: a
 * module's initialisation requires every built-in it imports, though a command may never call
 * them (node:https, node:zlib, node:fs/promises, node:child_process: 5 to 13 ms each to load;
 * `chalk extract` of a folder without artifacts used none of them). Named imports compile to
 * property reads at the call, so they stay lazy; a namespace or default import copies the
 * properties at once, so the program's sources use named imports of heavy built-ins.
 */
const BUILTIN_SHIM = 'var require=(id)=>{if(id==="node:events")return __events;' +
  "let m;const load=()=>m??=process.getBuiltinModule(id);" +
  "return new Proxy({},{get:(_,k)=>load()[k],has:(_,k)=>k in load()," +
  "ownKeys:()=>Reflect.ownKeys(load()),getOwnPropertyDescriptor:(_,k)=>{" +
  "const d=Reflect.getOwnPropertyDescriptor(load(),k);if(d)d.configurable=true;return d}})}," +
  "module={exports:{}};";

/**
 * The command tree (commander) is the bundle's one user of node:events, and it extends
 * EventEmitter at its initialisation: loading node:events (with `process`, which the shim above
 * needs) is the first node built-in of every command, and it starts Deno's node compatibility
 * layer, ~28 ms here. commander calls only `on`, `emit` and `listenerCount` (for its option
 * events), so the bundle gives it this emitter instead; the build fails if anything else comes
 * to require node:events (see below).
 */
const EVENTS_SHIM = "var __events={EventEmitter:class{#l=new Map();" +
  "on(n,f){let l=this.#l.get(n);if(!l)this.#l.set(n,l=[]);l.push(f);return this}" +
  "addListener(n,f){return this.on(n,f)}" +
  "emit(n,...a){const l=this.#l.get(n);if(!l||l.length===0)return false;" +
  "for(const f of[...l])f.apply(this,a);return true}" +
  "listenerCount(n){return this.#l.get(n)?.length??0}}};";

// chalk's own lock file (deno task chalk-lock): the built program holds exactly its packages.
const PRODUCT_LOCK = ["--lock=chalk.lock", "--frozen"];

if (Deno.args.includes("--compile")) {
  const target = join(dist, "chalk-bin");
  await run(Deno.execPath(), [
    "compile",
    "-A",
    "--no-check",
    `--v8-flags=${CHALK_V8_FLAGS}`,
    ...PRODUCT_LOCK,
    "-o",
    target,
    ENTRY,
  ]);
  console.log(`built ${target}`);
} else {
  // Per-process names: the release script and the action's "source" install may build at once.
  const bundled = join(dist, `chalk.bundle.${Deno.pid}.js`);
  // Minified: start-up parses the whole file, and a smaller file parses faster. CommonJS
  // format (docs/architecture.md, "Start-up"): a module reached only through `import()` is
  // initialised only when imported, node built-ins included (an ES module bundle would import
  // every node built-in the program uses at start, ~50 ms of it). One file still: `deno bundle`
  // without code splitting keeps dynamically imported modules in it.
  await run(Deno.execPath(), [
    "bundle",
    "--platform",
    "deno",
    "--format",
    "cjs",
    "--minify",
    ...PRODUCT_LOCK,
    "-o",
    bundled,
    ENTRY,
  ]);
  let text = await Deno.readTextFile(bundled);
  if (commit) text = text.replaceAll(TOKEN, commit);
  text = text.replace(/^#!.*\n/, "");
  // Deno runs the file as an ES module: `require` (of node built-ins) comes from
  // process.getBuiltinModule, `module` is a stand-in for the exports the entry does not have.
  const eventsUsers = text.split(`require("node:events")`).length - 1;
  if (eventsUsers !== 1 || !text.includes(`require("node:events").EventEmitter,`)) {
    console.error(
      `build: expected commander to be the one user of node:events (found ${eventsUsers}): ` +
        "check that the bundle's stand-in emitter (EVENTS_SHIM) still covers every use",
    );
    Deno.exit(1);
  }
  text = `${EVENTS_SHIM}${BUILTIN_SHIM}${text}`;
  const target = join(dist, "chalk");
  const temp = `${target}.${Deno.pid}.tmp`;
  // The sh prologue starts Deno (`--ext=js`: Deno otherwise takes the extensionless bundle for
  // TypeScript, and every start hashes it and reads back a transpiled copy from $DENO_DIR/gen,
  // ~40 ms; DENO_NO_UPDATE_CHECK: no request to dl.deno.land, internal/quiet_deno.ts), and the
  // last line tells it that no mark follows.
  await Deno.writeTextFile(temp, `${shPrologue()}${text.trimEnd()}\n${PROGRAM_END}\n`, {
    mode: 0o755,
  });
  await Deno.chmod(temp, 0o755);
  await Deno.rename(temp, target);
  await Deno.remove(bundled);
  console.log(`built ${target}`);
}
