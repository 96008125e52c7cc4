/**
 * The real docker as chalk drives it: global flags of the user's command
 * line (`-H`, `--context`, ...) kept on every call, captured output for
 * queries, inherited stdio for the user's own work.
 */
import { readTextIfAny } from "../internal/read_text_if_any.ts";
import { engineSocket, historyOverSocket, inspectOverSocket } from "./engine_socket.ts";
import { type InheritOptions, runInherited } from "./passthrough.ts";

/** A docker query that failed: the command and docker's one-line reason. */
export class DockerCallError extends Error {
  /** docker's exit code. */
  readonly code: number;

  /** Builds the one-line error from the arguments and docker's stderr. */
  constructor(args: readonly string[], code: number, stderr: string) {
    const reason = stderr.trim().split("\n").filter((l) => l.trim() !== "").pop() ?? "";
    super(
      `docker ${args.slice(0, 3).join(" ")} failed (exit ${code})${reason ? `: ${reason}` : ""}`,
    );
    this.name = "DockerCallError";
    this.code = code;
  }
}

/** What a captured docker call returned. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real docker. */
export class DockerClient {
  /**
   * @param exe path of the real docker
   * @param globals global flags to put before every subcommand
   */
  constructor(readonly exe: string, readonly globals: readonly string[] = []) {}

  #socket: string | undefined | null = null;

  /** The engine's socket when chalk may ask it directly (docker/engine_socket.ts). */
  #engineSocket(): string | undefined {
    if (this.#socket === null) {
      this.#socket = engineSocket({
        globals: this.globals,
        env: Deno.env.toObject(),
        readText: readTextIfAny,
      });
    }
    return this.#socket;
  }

  /** Runs a query with captured output (never the user's long-running work). */
  async capture(args: readonly string[], env?: Record<string, string>): Promise<Captured> {
    const out = await new Deno.Command(this.exe, {
      args: [...this.globals, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env,
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  }

  /** Like {@link capture} but throws {@link DockerCallError} on a non-zero exit. */
  async query(args: readonly string[]): Promise<string> {
    const r = await this.capture(args);
    if (r.code !== 0) throw new DockerCallError(args, r.code, r.stderr);
    return r.stdout;
  }

  /** Runs with the user's terminal; returns docker's exit status. */
  inherit(args: readonly string[], options: InheritOptions = {}): Promise<number> {
    return runInherited(this.exe, [...this.globals, ...args], options);
  }

  /** Each layer's `CreatedBy` of a local image, newest first; undefined when docker finds nothing. */
  async history(image: string): Promise<string[] | undefined> {
    const socket = this.#engineSocket();
    const answer = socket ? await historyOverSocket(socket, image) : undefined;
    if (answer) return answer.found;
    const r = await this.capture([
      "history",
      "--no-trunc",
      "--format",
      "{{json .CreatedBy}}",
      image,
    ]);
    if (r.code !== 0) return undefined;
    return r.stdout.split("\n").filter((l) => l !== "").map((l) => String(JSON.parse(l)));
  }

  /** `docker inspect` of one object; undefined when docker finds nothing. */
  async inspect(
    name: string,
    type?: "image" | "container",
  ): Promise<Record<string, unknown> | undefined> {
    const socket = type && this.#engineSocket();
    if (type && socket) {
      const answer = await inspectOverSocket(socket, name, type);
      if (answer) return answer.found;
    }
    const args = type ? ["inspect", "--type", type, name] : ["inspect", name];
    const r = await this.capture(args);
    if (r.code !== 0) return undefined;
    const parsed: unknown = JSON.parse(r.stdout);
    if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
    return parsed[0] as Record<string, unknown>;
  }
}
