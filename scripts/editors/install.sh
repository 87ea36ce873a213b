#!/usr/bin/env bash
# Installs the real editors the editor-neutrality tests (test/editors/) drive as LSP clients:
#   Debian `neovim` (0.7.2 on Debian 12), `emacs-nox` (28.2), `elpa-eglot` (1.9) and
#   `elpa-markdown-mode` (2.5; Emacs 28 has no Markdown major mode of its own, and the eglot
#   configuration in test/editors/README-snippet.md attaches to `markdown-mode`).
#
#   scripts/editors/install.sh
#
# Idempotent: when all four packages are installed it only checks (well under a second) and
# never calls apt-get. `apt-get update` runs only when something is missing. Needs root (or
# sudo) only in that case. Uses nothing but Debian's apt.
set -euo pipefail

log() { printf '[editors-install] %s\n' "$*" >&2; }
die() { printf '[editors-install] ERROR: %s\n' "$*" >&2; exit 1; }

PACKAGES=(neovim emacs-nox elpa-eglot elpa-markdown-mode)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  log "already installed: ${PACKAGES[*]}"
else
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO=(sudo)
  fi
  log "apt-get install: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for pkg in "${missing[@]}"; do installed "$pkg" || die "$pkg is still not installed"; done
fi

command -v nvim >/dev/null || die "nvim not on PATH after installing neovim"
command -v emacs >/dev/null || die "emacs not on PATH after installing emacs-nox"
log "nvim: $(nvim --version | head -n1)"
log "emacs: $(emacs --version | head -n1)"
log "eglot: $(dpkg-query -W -f='${Version}' elpa-eglot), markdown-mode: $(dpkg-query -W -f='${Version}' elpa-markdown-mode)"
