import { parseCon4m } from "./con4m/parser.ts";
const p = parseCon4m(Deno.args[0], "x");
console.log(JSON.stringify(p.body.stmts, (k, v) => k === "pos" ? undefined : typeof v === "bigint" ? String(v) : v));
