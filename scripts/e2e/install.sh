#!/usr/bin/env bash
# Installs what the real-editor (code-server + Chromium) end-to-end tests need.
#
#   scripts/e2e/install.sh                 install if missing; last stdout line = code-server binary
#   scripts/e2e/install.sh --print         print the paths only (no install; exit 1 if not installed)
#
# Everything from the npm registry goes into a cache OUTSIDE the repo:
#   ${NORTHSTAR_E2E_CACHE:-$HOME/.cache/northstar-e2e}/code-server-<ver>/bin/code-server
#   ${NORTHSTAR_E2E_CACHE:-$HOME/.cache/northstar-e2e}/playwright-core-<ver>/node_modules/playwright-core
# Debian packages come from apt (apt-get update only runs when something is missing).
#
# Idempotent: a second run only checks and prints (a few seconds).
# Only the npm registry and Debian's apt are used: code-server's install normally downloads
# ripgrep from GitHub; we pre-seed @vscode/ripgrep's download cache with Debian's /usr/bin/rg.
set -euo pipefail

CODE_SERVER_VERSION=4.99.4     # newest code-server that runs on Node 20 (bundles VS Code 1.99.3)
PLAYWRIGHT_CORE_VERSION=1.65.1 # engines: node >= 20; drives Debian's chromium over CDP
# What code-server 4.99.4's lib/vscode/npm-shrinkwrap.json pins, and what that package's
# lib/postinstall.js + lib/download.js look for: $TMPDIR/vscode-ripgrep-cache-<pkg ver>/
# ripgrep-<VERSION>-<target>.tar.gz (checked against the tarballs from the registry).
VSCODE_RIPGREP_PKG_VERSION=1.15.11
VSCODE_RIPGREP_ASSET_VERSION=v13.0.0-10

CACHE="${NORTHSTAR_E2E_CACHE:-$HOME/.cache/northstar-e2e}"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/bin/code-server"
PW_DIR="$CACHE/playwright-core-$PLAYWRIGHT_CORE_VERSION"
PW_PKG="$PW_DIR/node_modules/playwright-core"

log() { printf '[e2e-install] %s\n' "$*" >&2; }
die() { printf '[e2e-install] ERROR: %s\n' "$*" >&2; exit 1; }

write_wrapper() {
  # bin/code-server: runs the npm-installed entry point. Unless told otherwise it reads
  # code-server's config from the cache dir, so it never creates ~/.config/code-server/config.yaml.
  mkdir -p "$CS_DIR/bin"
  [ -f "$CS_DIR/config.yaml" ] || printf 'auth: none\n' >"$CS_DIR/config.yaml"
  local want
  want=$(cat <<'EOF'
#!/usr/bin/env bash
# Wrapper written by scripts/e2e/install.sh
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
export CODE_SERVER_CONFIG="${CODE_SERVER_CONFIG:-$here/../config.yaml}"
exec node "$here/../node_modules/code-server/out/node/entry.js" "$@"
EOF
)
  if [ ! -f "$CS_BIN" ] || [ "$(cat "$CS_BIN")" != "$want" ]; then
    printf '%s\n' "$want" >"$CS_BIN"
    chmod +x "$CS_BIN"
  fi
}

code_server_ok() { [ -x "$CS_BIN" ] && [ -f "$CS_DIR/.northstar-complete" ] && "$CS_BIN" --version >/dev/null 2>&1; }
playwright_ok() { [ -f "$PW_DIR/.northstar-complete" ] && [ -f "$PW_PKG/package.json" ]; }

print_paths() {
  echo "NORTHSTAR_E2E_CACHE=$CACHE"
  echo "NORTHSTAR_CODE_SERVER=$CS_BIN"
  echo "NORTHSTAR_PLAYWRIGHT_CORE=$PW_PKG"
  echo "NORTHSTAR_CHROMIUM=/usr/bin/chromium"
}

if [ "${1:-}" = "--print" ]; then
  code_server_ok && playwright_ok || { print_paths; die "not installed yet: run $0"; }
  print_paths
  exit 0
fi

start=$(date +%s)

# --- 0. Node --------------------------------------------------------------------------------
command -v node >/dev/null || die "node is required (code-server $CODE_SERVER_VERSION needs Node 20)"
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" = 20 ] || die "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)"

# --- 1. Debian packages -----------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev pkg-config ripgrep ca-certificates fonts-noto-color-emoji; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
# Native builds (node-gyp): any python3/make/g++ on PATH will do (e.g. a pyenv python3).
command -v python3 >/dev/null || missing+=(python3)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v tar >/dev/null || missing+=(tar)
command -v gzip >/dev/null || missing+=(gzip)

if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "need root to apt-get install: ${missing[*]}"
  log "apt-get install: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi
[ -x /usr/bin/rg ] || die "/usr/bin/rg missing after installing ripgrep"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after installing chromium"

# --- 2. code-server ---------------------------------------------------------------------------
mkdir -p "$CACHE"
[ -f "$CS_DIR/.northstar-complete" ] && write_wrapper # keep an existing install's wrapper current
if code_server_ok; then
  log "code-server $CODE_SERVER_VERSION already installed in $CS_DIR"
else
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about a minute)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR/bin"

  # Seed @vscode/ripgrep's download cache with Debian's rg (the postinstall uses a cached asset
  # when present and never contacts GitHub). It uses os.tmpdir(), i.e. $TMPDIR or /tmp.
  export TMPDIR="${TMPDIR:-/tmp}"
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) die "unsupported architecture $(uname -m)" ;;
  esac
  rg_cache="$TMPDIR/vscode-ripgrep-cache-$VSCODE_RIPGREP_PKG_VERSION"
  rg_asset="$rg_cache/ripgrep-$VSCODE_RIPGREP_ASSET_VERSION-$rg_target.tar.gz"
  rg_stage=$(mktemp -d)
  cp /usr/bin/rg "$rg_stage/rg"
  mkdir -p "$rg_cache"
  tar -czf "$rg_asset.tmp" -C "$rg_stage" rg
  mv "$rg_asset.tmp" "$rg_asset"
  rm -rf "$rg_stage"
  log "seeded $rg_asset"

  # node-gyp would download Node's headers (not reachable here): point it at the local ones.
  if [ -z "${npm_config_nodedir:-}" ]; then
    node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
    if [ -f "$node_prefix/include/node/node.h" ]; then
      export npm_config_nodedir="$node_prefix"
    else
      log "WARNING: no Node headers in $node_prefix/include/node; node-gyp will try to download them"
    fi
  fi

  echo '{"name":"northstar-e2e-code-server","private":true}' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" \
      >"$CS_DIR/npm-install.log" 2>&1
  ) || { tail -n 60 "$CS_DIR/npm-install.log" >&2; die "npm install code-server@$CODE_SERVER_VERSION failed (log: $CS_DIR/npm-install.log)"; }

  entry="$CS_DIR/node_modules/code-server/out/node/entry.js"
  [ -f "$entry" ] || die "code-server entry point missing: $entry"
  rg_bin="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  [ -x "$rg_bin" ] && "$rg_bin" --version >/dev/null \
    || die "ripgrep was not installed at $rg_bin (did @vscode/ripgrep's asset name change? see $CS_DIR/npm-install.log)"

  write_wrapper
  "$CS_BIN" --version >/dev/null 2>&1 || die "$CS_BIN --version failed"
  touch "$CS_DIR/.northstar-complete"
fi
log "code-server: $("$CS_BIN" --version 2>/dev/null | head -n1)"

# --- 3. playwright-core (no browser download: we use /usr/bin/chromium) -------------------------
if playwright_ok; then
  log "playwright-core $PLAYWRIGHT_CORE_VERSION already installed in $PW_DIR"
else
  log "installing playwright-core $PLAYWRIGHT_CORE_VERSION into $PW_DIR"
  rm -rf "$PW_DIR"
  mkdir -p "$PW_DIR"
  echo '{"name":"northstar-e2e-playwright","private":true}' >"$PW_DIR/package.json"
  (
    cd "$PW_DIR"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_CORE_VERSION" >"$PW_DIR/npm-install.log" 2>&1
  ) || { tail -n 40 "$PW_DIR/npm-install.log" >&2; die "npm install playwright-core failed"; }
  touch "$PW_DIR/.northstar-complete"
fi

log "done in $(( $(date +%s) - start ))s"
print_paths >&2
echo "$CS_BIN"
