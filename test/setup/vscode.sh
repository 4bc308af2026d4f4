#!/bin/sh
# Makes a real VS Code available to the e2e tests (test/e2e/): Debian's
# chromium for Playwright, and code-server 4.100.3 (VS Code 1.100.3, the
# last code-server whose install accepts Node 20) installed with npm into
# a cache folder outside the repository:
#
#   ${SUBFACE_TEST_CACHE:-$HOME/.cache/subface-test}/code-server-4.100.3
#
# Idempotent: every step is skipped when its result is already there, so
# a warm run takes well under a second. Works offline against the npm
# registry: code-server's install wants two downloads from GitHub and an
# interactive npx; both are answered locally (see below). On failure it
# says why and exits 0: the e2e tests then report themselves skipped.
set -u

CS_VERSION=4.100.3
# @vscode/ripgrep's version in code-server 4.100.3 and the asset it fetches.
RG_PACKAGE_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES="chromium ripgrep libkrb5-dev"

CACHE=${SUBFACE_TEST_CACHE:-$HOME/.cache/subface-test}
CS_DIR=$CACHE/code-server-$CS_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server
LOG=$CACHE/code-server-$CS_VERSION.log
ME="test/setup/vscode.sh"

say() { echo "$ME: $*" >&2; }

missing_apt_packages() {
  for package in $APT_PACKAGES; do
    dpkg -s "$package" >/dev/null 2>&1 || printf '%s ' "$package"
  done
}

install_apt_packages() {
  need=$(missing_apt_packages)
  [ -z "$need" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    say "needs root and apt-get to install: $need(run: sudo apt-get" \
      "install -y $need)"
    return 1
  fi
  say "installing $need with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq $need; } >>"$LOG" 2>&1 ||
    { say "apt-get failed; see $LOG"; return 1; }
}

code_server_works() {
  [ -x "$CS_BIN" ] &&
    XDG_CONFIG_HOME=$CACHE/xdg "$CS_BIN" --version >/dev/null 2>&1
}

# @vscode/ripgrep's postinstall looks in this cache before it downloads
# from GitHub; Debian's rg (13.0.0) stands in for the prebuilt one.
seed_ripgrep_cache() {
  rg_cache=$1/vscode-ripgrep-cache-$RG_PACKAGE_VERSION
  mkdir -p "$rg_cache"
  tar czf "$rg_cache/$RG_ASSET" -C "$(dirname "$(command -v rg)")" rg
}

install_code_server() {
  staging=$CACHE/code-server-$CS_VERSION.partial
  rm -rf "$staging"
  mkdir -p "$staging/tmp"
  seed_ripgrep_cache "$staging/tmp" || return 1
  say "installing code-server $CS_VERSION into $CS_DIR (about 2 minutes)"
  echo "== $(date): npm install code-server@$CS_VERSION" >>"$LOG"
  # --unsafe-perm: its postinstall refuses to run as root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`.
  TMPDIR=$staging/tmp npm_config_yes=true npm install \
    --prefix "$staging" "code-server@$CS_VERSION" --unsafe-perm \
    --no-audit --no-fund --no-save >>"$LOG" 2>&1 ||
    { say "npm install code-server failed; see $LOG"; return 1; }
  rm -rf "$staging/tmp" "$CS_DIR"
  mv "$staging" "$CS_DIR"
}

mkdir -p "$CACHE"
install_apt_packages || true
if code_server_works; then
  exit 0
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]; then
  say "code-server $CS_VERSION installs only under Node 20; the e2e" \
    "tests will be skipped"
  exit 0
fi
if ! command -v rg >/dev/null 2>&1; then
  say "ripgrep is missing, so code-server cannot be installed offline;" \
    "the e2e tests will be skipped"
  exit 0
fi
if install_code_server && code_server_works; then
  say "code-server $("$CS_BIN" --version | tail -1)"
else
  say "code-server is not usable; the e2e tests will be skipped"
fi
exit 0
