#!/usr/bin/env bash
# Installs what the real-VS-Code e2e tests need, offline apart from Debian apt and the npm registry:
# Debian's Chromium (driven by playwright-core), ripgrep and the krb5 headers code-server's native
# modules build against, then code-server 4.100.3 (= VS Code 1.100.3, the last release that runs on
# Node 20), playwright-core and mocha into the git-ignored .e2e/ folder. Idempotent: a second run
# with nothing to do takes about a second.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E_DIR=$ROOT/.e2e   # git-ignored; test/e2e/tsconfig.json and the suites expect the kit here
KIT=$ROOT/test/e2e/kit
mkdir -p "$E2E_DIR/tmp"

# 1) Debian packages. libkrb5-dev + pkg-config: code-server's `kerberos` module builds from source
#    (its prebuilt download needs github.com). ripgrep: replaces @vscode/ripgrep's GitHub download.
apt_packages=(chromium ripgrep libkrb5-dev pkg-config)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2) npm tools, reinstalled only when the kit manifest or its lock file changed. The lock file pins
#    code-server's whole dependency tree, so every run tests against the same VS Code.
stamp="$E2E_DIR/.kit-installed"
kit_id=$(cat "$KIT/package.json" "$KIT/package-lock.json" 2>/dev/null | cksum)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$kit_id" ] && [ -x "$E2E_DIR/node_modules/.bin/code-server" ]; then
  echo "setup: e2e kit already installed in $E2E_DIR"
  exit 0
fi
cp "$KIT/package.json" "$E2E_DIR/package.json"
[ -f "$KIT/package-lock.json" ] && cp "$KIT/package-lock.json" "$E2E_DIR/package-lock.json"

# @vscode/ripgrep (pinned 1.15.11 by code-server 4.100.3) looks for its release tarball in
# $TMPDIR/vscode-ripgrep-cache-<version>/ before asking api.github.com: seed it with Debian's rg.
rg_cache="$E2E_DIR/tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache" "$E2E_DIR/tmp/rg"
cp "$(command -v rg)" "$E2E_DIR/tmp/rg/rg"
tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$E2E_DIR/tmp/rg" rg

# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which ~/.npmrc's yes=false would cancel.
# XDG_*: any code-server invocation writes config and logs under $HOME otherwise.
echo "setup: npm install in $E2E_DIR (log: $E2E_DIR/install.log)"
start=$(date +%s)
if ! (cd "$E2E_DIR" && TMPDIR="$E2E_DIR/tmp" npm_config_yes=true npm_config_unsafe_perm=true \
      npm install --no-audit --no-fund --foreground-scripts > install.log 2>&1); then
  tail -n 40 "$E2E_DIR/install.log"
  echo "setup: npm install failed (full log: $E2E_DIR/install.log)" >&2
  exit 1
fi
echo "setup: npm install took $(( $(date +%s) - start )) s"
XDG_CONFIG_HOME="$E2E_DIR/xdg/config" XDG_DATA_HOME="$E2E_DIR/xdg/data" \
  "$E2E_DIR/node_modules/.bin/code-server" --version
echo "$kit_id" > "$stamp"
