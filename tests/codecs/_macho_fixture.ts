/**
 * Mach-O binaries with known layouts, built byte by byte (there is no macOS
 * toolchain here): a thin x86_64 executable with `__TEXT` (one `__text`
 * section at 0x1000) and `__LINKEDIT`, optionally ad-hoc or certificate
 * signed, and universal binaries made of such slices.
 */

/** What to build. */
export interface MachoSpec {
  /** Bytes of `__LINKEDIT` before any signature (default 0x100). */
  linkedit?: number;
  /** Add an `LC_CODE_SIGNATURE` with a superblob: ad-hoc, or with a CMS signature slot. */
  signature?: "adhoc" | "certificate";
  /** File offset of the first section (default 0x1000): less leaves less load-command slack. */
  textOffset?: number;
  /** A byte every `__LINKEDIT` byte and the code take, to tell slices apart (default 0x5a). */
  fill?: number;
}

function u32(v: DataView, at: number, x: number): void {
  v.setUint32(at, x, true);
}

function u64(v: DataView, at: number, x: number): void {
  v.setBigUint64(at, BigInt(x), true);
}

function name16(b: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i);
}

/** A thin 64-bit little-endian Mach-O executable. */
export function thinMacho(spec: MachoSpec = {}): Uint8Array {
  const textOffset = spec.textOffset ?? 0x1000;
  const fill = spec.fill ?? 0x5a;
  const leOff = 0x4000;
  const leData = spec.linkedit ?? 0x100;
  const sig = spec.signature ? signatureBlob(spec.signature) : new Uint8Array(0);
  const sigOff = leOff + leData;
  const leSize = leData + sig.length;
  const cmds: Uint8Array[] = [];
  // __TEXT with one section.
  const text = new Uint8Array(72 + 80);
  const t = new DataView(text.buffer);
  u32(t, 0, 0x19);
  u32(t, 4, text.length);
  name16(text, 8, "__TEXT");
  u64(t, 24, 0x100000000);
  u64(t, 32, 0x4000);
  u64(t, 40, 0);
  u64(t, 48, 0x4000);
  u32(t, 56, 5);
  u32(t, 60, 5);
  u32(t, 64, 1);
  name16(text, 72, "__text");
  name16(text, 88, "__TEXT");
  u64(t, 104, 0x100000000 + textOffset);
  u64(t, 112, 16);
  u32(t, 120, textOffset);
  cmds.push(text);
  const le = new Uint8Array(72);
  const l = new DataView(le.buffer);
  u32(l, 0, 0x19);
  u32(l, 4, 72);
  name16(le, 8, "__LINKEDIT");
  u64(l, 24, 0x100004000);
  u64(l, 32, 0x4000);
  u64(l, 40, leOff);
  u64(l, 48, leSize);
  u32(l, 56, 1);
  u32(l, 60, 1);
  cmds.push(le);
  if (spec.signature) {
    const cs = new Uint8Array(16);
    const c = new DataView(cs.buffer);
    u32(c, 0, 0x1d);
    u32(c, 4, 16);
    u32(c, 8, sigOff);
    u32(c, 12, sig.length);
    cmds.push(cs);
  }
  const sizeofcmds = cmds.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(leOff + leSize);
  const h = new DataView(out.buffer);
  u32(h, 0, 0xfeedfacf);
  u32(h, 4, 0x01000007);
  u32(h, 8, 3);
  u32(h, 12, 2);
  u32(h, 16, cmds.length);
  u32(h, 20, sizeofcmds);
  let at = 32;
  for (const c of cmds) {
    out.set(c, at);
    at += c.length;
  }
  out.fill(0xc3, textOffset, textOffset + 16); // ret
  out.fill(fill, leOff, leOff + leData);
  out.set(sig, sigOff);
  return out;
}

/** An embedded signature superblob: a code directory, plus a CMS blob for a certificate. */
function signatureBlob(kind: "adhoc" | "certificate"): Uint8Array {
  const slots = kind === "certificate" ? 2 : 1;
  const cd = 32;
  const cms = kind === "certificate" ? 64 : 0;
  const out = new Uint8Array(12 + slots * 8 + cd + cms);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xfade0cc0);
  v.setUint32(4, out.length);
  v.setUint32(8, slots);
  v.setUint32(12, 0); // code directory
  v.setUint32(16, 12 + slots * 8);
  v.setUint32(12 + slots * 8, 0xfade0c02);
  v.setUint32(12 + slots * 8 + 4, cd);
  if (kind === "certificate") {
    v.setUint32(20, 0x10000);
    v.setUint32(24, 12 + slots * 8 + cd);
    v.setUint32(12 + slots * 8 + cd, 0xfade0b01);
    v.setUint32(12 + slots * 8 + cd + 4, cms);
  }
  return out;
}

/** A universal binary of `slices`, each aligned to 2^12, with `count` claimed in the header. */
export function fatMacho(slices: Uint8Array[], count = slices.length): Uint8Array {
  const align = 0x1000;
  let pos = align;
  const placed = slices.map((s) => {
    const at = pos;
    pos = Math.ceil((pos + s.length) / align) * align;
    return at;
  });
  const out = new Uint8Array(placed[placed.length - 1] + slices[slices.length - 1].length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xcafebabe);
  v.setUint32(4, count);
  slices.forEach((s, i) => {
    v.setUint32(8 + i * 20, 0x01000007);
    v.setUint32(12 + i * 20, 3);
    v.setUint32(16 + i * 20, placed[i]);
    v.setUint32(20 + i * 20, s.length);
    v.setUint32(24 + i * 20, 12);
    out.set(s, placed[i]);
  });
  return out;
}
