#!/usr/bin/env bash
# The steps of the GitHub Action in action.yml, kept here so that they run, and are tested,
# outside GitHub too (tests/shipping/action_test.ts runs them with a GitHub-like environment).
#
# Inputs come as INPUT_* variables (action.yml maps them); GitHub's files GITHUB_OUTPUT and
# GITHUB_PATH receive the outputs and the folder to put on PATH for the rest of the job.
#
#   INPUT_VERSION       "source" (build the action's own checkout) or a release tag "vX.Y.Z"
#   INPUT_ASSET         release asset: "binary" (deno compile, no Deno needed) or "bundle"
#   INPUT_DOWNLOAD_URL  where release assets live (…/releases/download)
#   INPUT_DENO_VERSION  Deno to install when none is on PATH (the bundle and "source" need it)
#   INPUT_CONFIG        a configuration to load: file path, http(s) URL, or inline con4m text
#   INPUT_WRAP_DOCKER   "true": `docker` runs through chalk for the rest of the job
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
version="${INPUT_VERSION:-source}"
asset="${INPUT_ASSET:-binary}"
deno_version="${INPUT_DENO_VERSION:-2.9.6}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
bin="$temp/chalk-ts/bin"
mkdir -p "$bin"

say() { echo "chalk-ts action: $*" >&2; }
fail() {
  echo "::error title=chalk-ts action::$*"
  say "$*"
  exit 1
}

# Deno, when chalk will need it (the bundle) and none is on PATH: from the npm registry.
need_deno() {
  if command -v deno >/dev/null 2>&1; then return; fi
  command -v npm >/dev/null 2>&1 || fail "Deno is needed and npm is not there to install it"
  say "installing Deno $deno_version"
  npm install --silent --prefix "$temp/chalk-ts/deno" "deno@$deno_version" >&2
  local dir="$temp/chalk-ts/deno/node_modules/.bin"
  export PATH="$dir:$PATH"
  echo "$dir" >>"${GITHUB_PATH:-/dev/null}"
}

target_triple() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) echo aarch64-unknown-linux-gnu ;;
    Darwin-x86_64) echo x86_64-apple-darwin ;;
    Darwin-arm64) echo aarch64-apple-darwin ;;
    *) fail "no chalk-ts release binary for $(uname -s) $(uname -m); use asset: bundle" ;;
  esac
}

if [[ "$version" == "source" ]]; then
  need_deno
  say "building chalk from $action_dir"
  (cd "$action_dir" && deno run -A scripts/build.ts >&2)
  install -m 0755 "$action_dir/dist/chalk" "$bin/chalk"
else
  [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version must be 'source' or a tag like v0.1.0 (got '$version')"
  base="${INPUT_DOWNLOAD_URL:?INPUT_DOWNLOAD_URL is required for a release}/$version"
  case "$asset" in
    bundle) need_deno; name="chalk-${version#v}-bundle.js" ;;
    binary) name="chalk-${version#v}-$(target_triple)" ;;
    *) fail "asset must be 'binary' or 'bundle' (got '$asset')" ;;
  esac
  say "downloading $name"
  curl -fsSL --retry 3 -o "$temp/chalk-ts/$name" "$base/$name" || fail "cannot download $base/$name"
  curl -fsSL --retry 3 -o "$temp/chalk-ts/SHA256SUMS" "$base/SHA256SUMS" || fail "cannot download $base/SHA256SUMS"
  (cd "$temp/chalk-ts" && grep " $name\$" SHA256SUMS | sha256sum -c --quiet -) ||
    fail "$name does not match its SHA256SUMS line"
  install -m 0755 "$temp/chalk-ts/$name" "$bin/chalk"
fi
echo "$bin" >>"${GITHUB_PATH:-/dev/null}"
export PATH="$bin:$PATH"

if [[ -n "${INPUT_CONFIG:-}" ]]; then
  config="$INPUT_CONFIG"
  if [[ ! "$config" =~ ^https?:// && ! -f "$config" ]]; then
    # Inline configuration text.
    printf '%s\n' "$INPUT_CONFIG" >"$temp/chalk-ts/inline.c4m"
    config="$temp/chalk-ts/inline.c4m"
  fi
  say "loading configuration $config"
  "$bin/chalk" load "$config" >&2 || fail "chalk load $config failed"
fi

if [[ "${INPUT_WRAP_DOCKER:-false}" == "true" ]]; then
  # A chalk program named docker runs `chalk docker`, which finds the real docker further on PATH.
  ln -sf chalk "$bin/docker"
  say "docker now runs through chalk"
fi

# The file full reports go to, as the loaded configuration says: the first if several, none when
# no file sink receives them. A release from before `__report-files` refuses the word (exit 2),
# and its reports go where the base configuration sends them.
if report_files="$("$bin/chalk" __report-files 2>/dev/null)"; then
  report_path="$(printf '%s\n' "$report_files" | head -n 1)"
else
  report_path="${HOME:-~}/.local/chalk/chalk.log"
fi

{
  echo "chalk-path=$bin/chalk"
  echo "report-path=$report_path"
  echo "version=$("$bin/chalk" version 2>/dev/null | sed -n 's/^Chalk Version *//p')"
} >>"${GITHUB_OUTPUT:-/dev/null}"
say "chalk is $bin/chalk"
