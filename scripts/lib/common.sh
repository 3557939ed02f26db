# Shared set-up steps for scripts/start, scripts/test and scripts/stop (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="$ROOT/.local"
VENV="$ROOT/.venv"
AZURITE_VERSION="3.35.0"
# Pinned: the "Your data" page loads this exact file of the package (dist/chart.umd.js).
CHART_JS_VERSION="4.6.1"

log() { printf '[personicle] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Pick a Python 3.11+ interpreter.
find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  log "Python 3.11 or newer is required"; return 1
}

# Create the virtual environment and install the packages when a requirements file changed: first the
# hash-checked lock of the runtime packages (requirements.txt, the set that is deployed), then, when
# given, a file of development tools on top of it (requirements-dev.txt).
ensure_venv() {
  local requirements="$1" lock="$ROOT/requirements.txt" stamp="$VENV/.installed-$(basename "$1")"
  if [ ! -x "$VENV/bin/python" ]; then
    local python; python="$(find_python)"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      log "installing python3-venv"
      as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$VENV"
    fi
  fi
  if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    log "installing Python packages from requirements.txt (hash-checked)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
    if [ "$requirements" != "$lock" ]; then
      log "installing Python packages from $(basename "$requirements")"
      "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
    fi
    touch "$stamp"
  fi
}

# Generate the local token-encryption key once, outside version control.
ensure_local_key() {
  mkdir -p "$LOCAL_DIR/secrets"
  chmod 700 "$LOCAL_DIR/secrets"
  local key_file="$LOCAL_DIR/secrets/token-encryption-keys"
  if [ ! -s "$key_file" ]; then
    "$VENV/bin/python" -c 'import base64, os; print("local1:" + base64.b64encode(os.urandom(32)).decode())' > "$key_file"
    chmod 600 "$key_file"
  fi
  TOKEN_ENCRYPTION_KEYS="$(cat "$key_file")"
  export TOKEN_ENCRYPTION_KEYS
}

# Export the Values of local.settings.json that the environment does not already set.
export_local_settings() {
  eval "$("$VENV/bin/python" -m devtools.settings_env "$ROOT/local.settings.json")"
}

# Headless Chromium for the browser tests (Debian's package).
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing Chromium from apt (browser tests)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Chart.js from npm for the "Your data" page of the local Personicle stand-in (never from a CDN).
ensure_chart_library() {
  local web_dir="$LOCAL_DIR/web"
  if ! grep -q "\"version\": \"$CHART_JS_VERSION\"" "$web_dir/node_modules/chart.js/package.json" 2>/dev/null; then
    command -v npm >/dev/null || { log "Node.js 20+ with npm is required for the data page's charts"; return 1; }
    log "installing Chart.js $CHART_JS_VERSION from npm"
    mkdir -p "$web_dir"
    npm install --prefix "$web_dir" --no-save --no-audit --no-fund --loglevel=error "chart.js@$CHART_JS_VERSION" >/dev/null
  fi
}
