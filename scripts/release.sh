#!/usr/bin/env bash
# Builds a chalk-ts release into OUT (default dist/release): the bundle, `deno compile`
# binaries for linux-x64, linux-arm64, darwin-x64 and darwin-arm64, SHA256SUMS and the release
# notes. .github/workflows/release.yml runs it on a tag; tests/shipping/release_test.ts runs it
# with --bundle-only (compiling for a target downloads that target's Deno runtime, which needs
# network this test machine does not have).
#
#   scripts/release.sh [--out DIR] [--bundle-only] [--targets "TRIPLE ..."]
#
# The version is deno.json's; on a tag (GITHUB_REF_NAME=vX.Y.Z) the two must agree.
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/release
bundle_only=0
targets="x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --bundle-only) bundle_only=1; shift ;;
    --targets) targets="$2"; shift 2 ;;
    *) echo "release: unknown argument $1" >&2; exit 2 ;;
  esac
done

version=$(deno eval 'console.log(JSON.parse(Deno.readTextFileSync("deno.json")).version)')
if [[ "${GITHUB_REF_TYPE:-}" == "tag" && "${GITHUB_REF_NAME:-}" != "v$version" ]]; then
  echo "release: tag ${GITHUB_REF_NAME} does not match deno.json version $version" >&2
  exit 1
fi
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)

mkdir -p "$out"
# Only this script's own files are replaced; anything else in OUT stays.
rm -f "$out"/chalk-* "$out/SHA256SUMS" "$out/RELEASE_NOTES.md"
deno run -A scripts/build.ts >&2
cp dist/chalk "$out/chalk-$version-bundle.js"
chmod 0755 "$out/chalk-$version-bundle.js"

if [[ $bundle_only == 0 ]]; then
  for t in $targets; do
    echo "release: compiling for $t" >&2
    deno compile -A --no-check --target "$t" -o "$out/chalk-$version-$t" mod.ts >&2
  done
fi

(cd "$out" && sha256sum chalk-* >SHA256SUMS && sha256sum -c --quiet SHA256SUMS)

previous=$(git describe --tags --abbrev=0 "HEAD^" 2>/dev/null || true)
{
  echo "# chalk-ts $version"
  echo
  echo "Built from commit \`$commit\`."
  echo
  echo "## Install"
  echo
  echo '```sh'
  echo "curl -fsSLO <release URL>/chalk-$version-x86_64-unknown-linux-gnu   # or another target"
  echo "sha256sum -c --ignore-missing SHA256SUMS"
  echo "install -m 0755 chalk-$version-x86_64-unknown-linux-gnu /usr/local/bin/chalk"
  echo '```'
  echo
  echo "\`chalk-$version-bundle.js\` runs wherever Deno does (\`deno run -A chalk-$version-bundle.js\`)."
  echo "In GitHub Actions: \`uses: <owner>/chalk-ts@v$version\` (see docs/github-action.md)."
  echo
  echo "## Assets (SHA-256)"
  echo
  echo '```'
  cat "$out/SHA256SUMS"
  echo '```'
  if [[ -n "$previous" ]]; then
    echo
    echo "## Changes since $previous"
    echo
    git log --format='- %s' "$previous..HEAD"
  fi
} >"$out/RELEASE_NOTES.md"
echo "release: $out" >&2
ls -1 "$out"
