import { assertMatch } from "../_assert.ts";
import { wholeView } from "../../codecs/byte_view.ts";
import { unclaimedReason } from "../../codecs/unclaimed.ts";

function elfHeader(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(256);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  const view = new DataView(bytes.buffer);
  view.setUint16(0x10, 2, true); // ET_EXEC
  view.setBigUint64(0x20, 64n, true);
  view.setUint16(0x38, 1, true);
  view.setBigUint64(0x28, 128n, true);
  view.setUint16(0x3c, 1, true);
  edit(bytes, view);
  return bytes;
}

Deno.test("unclaimedReason names what kind of ELF file chalk does not mark", () => {
  const cases: [Uint8Array, RegExp][] = [
    [elfHeader((b) => b[4] = 1), /32-bit/],
    [elfHeader((b) => b[5] = 2), /big-endian/],
    [elfHeader((_, v) => v.setUint16(0x10, 1, true)), /relocatable object/],
    [elfHeader((_, v) => v.setUint16(0x10, 4, true)), /core dump/],
    [elfHeader((_, v) => v.setBigUint64(0x28, 0n, true)), /without a section header table/],
    [elfHeader((_, v) => v.setUint16(0x38, 0, true)), /without program headers/],
    [elfHeader(() => {}), /truncated or damaged/],
    [elfHeader(() => {}).slice(0, 40), /no complete ELF header/],
    [new Uint8Array(), /an empty file/],
    [new TextEncoder().encode("plain text\n"), /not a kind of artifact/],
    [new TextEncoder().encode("#!/bin/sh\necho\n"), /a #! script that source_marks leaves/],
    // `#!` naming no interpreter: not a matter of configuration.
    [new TextEncoder().encode("#!"), /its #! line names no interpreter/],
    [new TextEncoder().encode("#!   \r\necho\n"), /its #! line names no interpreter/],
    [new TextEncoder().encode("#!/usr/bin/env -S\necho\n"), /its #! line names no interpreter/],
  ];
  for (const [bytes, reason] of cases) assertMatch(unclaimedReason(wholeView(bytes)), reason);
});

Deno.test("unclaimedReason names a file called .jar or .pyc that is no archive or bytecode", () => {
  const html = new TextEncoder().encode("<html>404 Not Found</html>\n");
  assertMatch(
    unclaimedReason(wholeView(html), "/w/app.jar"),
    /named like a zip archive \(\.jar\), but it is none/,
  );
  assertMatch(
    unclaimedReason(wholeView(html), "/w/m.PYC"),
    /named like Python bytecode \(\.pyc\), but it has no bytecode header/,
  );
  // Any other name, or a real archive chalk's configuration does not take: the general reason.
  assertMatch(unclaimedReason(wholeView(html), "/w/page.html"), /not a kind of artifact/);
  const empty = new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]);
  assertMatch(unclaimedReason(wholeView(empty), "/w/app.jar"), /not a kind of artifact/);
});

Deno.test("unclaimedReason names 32-bit and big-endian Mach-O files", () => {
  const header = (...magic: number[]) => new Uint8Array([...magic, ...new Array(28).fill(0)]);
  assertMatch(unclaimedReason(wholeView(header(0xce, 0xfa, 0xed, 0xfe))), /a 32-bit Mach-O file/);
  assertMatch(unclaimedReason(wholeView(header(0xfe, 0xed, 0xfa, 0xce))), /a 32-bit Mach-O file/);
  assertMatch(unclaimedReason(wholeView(header(0xfe, 0xed, 0xfa, 0xcf))), /a big-endian Mach-O/);
});
