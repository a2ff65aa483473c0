#!/usr/bin/env bash
# Starts the emulator and the example portal side by side, for a person to look at:
#   examples/php-portal/serve.sh            emulator on 127.0.0.1:8080, portal on 127.0.0.1:8081
#   CDN_PORT=9090 PORTAL_PORT=9091 examples/php-portal/serve.sh
# Ctrl-C stops both.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cdn_port="${CDN_PORT:-8080}"
portal_port="${PORTAL_PORT:-8081}"
export VETRINA_CDN="${VETRINA_CDN:-http://127.0.0.1:${cdn_port}}"

command -v php >/dev/null || { echo "serve.sh: php not found; install php-cli (apt-get install php-cli)" >&2; exit 1; }

cd "$root"
node --import tsx edge/src/emulator/main.ts --port "$cdn_port" &
emulator=$!
php -S "127.0.0.1:${portal_port}" -t examples/php-portal &
portal=$!
trap 'kill "$emulator" "$portal" 2>/dev/null || true' EXIT INT TERM

echo "portal:  http://127.0.0.1:${portal_port}/listing.php (after)  http://127.0.0.1:${portal_port}/before.php (before)"
echo "images:  ${VETRINA_CDN}"
wait -n "$emulator" "$portal"
