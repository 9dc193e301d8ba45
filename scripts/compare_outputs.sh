#!/usr/bin/env bash
# Builds two revisions (release) and compares every file their pipelines write, byte for byte:
# on the committed sample and on generated data. See scripts/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/compare_outputs.sh [options] [BASE [TARGET]]

Builds BASE and TARGET in a temporary git worktree (swift build -c release), runs
ingest, normalize, cohort, churn-attribution and report with each on
  sample     the committed pipeline.json and data/raw of that revision
  generated  generate-sample --customers N --seed 42, written once by BASE's generator
             (TARGET's generator output is compared with it too, as generated/input/...)
and compares every file under work_dir and reports_dir byte for byte.

  BASE     a git revision (default HEAD~1)
  TARGET   a git revision; omitted: the work tree as it is (uncommitted and untracked files included)

options:
  --allow GLOB     a file expected to differ (repeatable); GLOB matches the printed path,
                   e.g. 'sample/reports/*' or '*/cohort/kpis.json' (* also matches /)
  --customers N    customers of the generated data (default 100000)
  --keep           keep the temporary folder (its path is printed) to look at the outputs
  -h, --help       this help

Exit status: 0 every file identical (or allowed), 1 a file differs, 2 usage error or a
build or stage failed.
EOF
}

die() {
  echo "compare_outputs: $*" >&2
  exit 2
}

allow=()
customers=100000
keep=0
revs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --allow) [ $# -ge 2 ] || die "--allow needs a glob"; allow+=("$2"); shift 2 ;;
    --allow=*) allow+=("${1#--allow=}"); shift ;;
    --customers) [ $# -ge 2 ] || die "--customers needs a number"; customers="$2"; shift 2 ;;
    --customers=*) customers="${1#--customers=}"; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) revs+=("$1"); shift ;;
  esac
done
[ ${#revs[@]} -le 2 ] || { usage >&2; die "at most two revisions, got ${#revs[@]}"; }
[[ "$customers" =~ ^[1-9][0-9]*$ ]] || die "--customers takes a whole number of at least 1, not '$customers'"
command -v python3 >/dev/null || die "python3 is needed to read work_dir and reports_dir from the configuration"

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || die "not inside a git repository"
base_name="${revs[0]:-HEAD~1}"
base=$(git -C "$repo" rev-parse --verify --quiet "$base_name^{commit}") || die "'$base_name' is not a revision"
if [ ${#revs[@]} -eq 2 ]; then
  target_name="${revs[1]}"
  target=$(git -C "$repo" rev-parse --verify --quiet "$target_name^{commit}") || die "'$target_name' is not a revision"
else
  target_name="work tree"
  target=""
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare-outputs.XXXXXX")
src="$tmp/src"
cleanup() {
  git -C "$repo" worktree remove --force "$src" >/dev/null 2>&1 || true
  if [ "$keep" = 1 ]; then echo "compare_outputs: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM

STAGES=(ingest normalize cohort churn-attribution report)

# Builds the checkout in $src into one scratch folder shared by both revisions, so the second
# build recompiles only what the difference touches, and copies the binaries to $tmp/bin-$1.
build() {
  local label=$1 bin
  echo "building $label (release)..." >&2
  swift build -c release --package-path "$src" --scratch-path "$tmp/build" >"$tmp/build-$label.log" 2>&1 ||
    { tail -30 "$tmp/build-$label.log" >&2; die "the release build of $label failed (log above)"; }
  bin=$(swift build -c release --package-path "$src" --scratch-path "$tmp/build" --show-bin-path)
  mkdir -p "$tmp/bin-$label"
  for b in "${STAGES[@]}" generate-sample; do cp "$bin/$b" "$tmp/bin-$label/"; done
}

# The committed sample of the checkout: its configuration and raw data.
keep_sample() {
  mkdir -p "$tmp/inputs-$1/sample/data"
  cp "$src/pipeline.json" "$tmp/inputs-$1/sample/"
  cp -R "$src/data/raw" "$tmp/inputs-$1/sample/data/"
}

generate() {
  "$tmp/bin-$1/generate-sample" --out "$2" --customers "$customers" --seed 42 >"$tmp/generate-$1.log" 2>&1 ||
    { cat "$tmp/generate-$1.log" >&2; die "generate-sample of $1 failed"; }
}

# Runs every stage of revision $1 on inputs $2 in the same folder for both revisions (manifests
# record paths), then moves work_dir and reports_dir to $tmp/out/$1/$3/{work,reports}.
run_pipeline() {
  local label=$1 inputs=$2 name=$3 run="$tmp/run" s code dirs work reports
  rm -rf "$run"
  mkdir -p "$run"
  cp -R "$inputs/." "$run/"
  for s in "${STAGES[@]}"; do
    code=0
    "$tmp/bin-$label/$s" --config "$run/pipeline.json" --quiet 2>"$tmp/stderr" || code=$?
    # A breached report check (3) still writes every file.
    if [ "$code" != 0 ] && { [ "$s" != report ] || [ "$code" != 3 ]; }; then
      cat "$tmp/stderr" >&2
      die "$s of $label exited $code on $name"
    fi
  done
  dirs=$(python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print(c.get("work_dir", "data/work")); print(c.get("reports_dir", "reports"))' "$run/pipeline.json")
  work=$(sed -n 1p <<<"$dirs")
  reports=$(sed -n 2p <<<"$dirs")
  case "$work" in /*) ;; *) work="$run/$work" ;; esac
  case "$reports" in /*) ;; *) reports="$run/$reports" ;; esac
  mkdir -p "$tmp/out/$label/$name"
  mv "$work" "$tmp/out/$label/$name/work"
  if [ -d "$reports" ]; then mv "$reports" "$tmp/out/$label/$name/reports"; else mkdir "$tmp/out/$label/$name/reports"; fi
}

git -C "$repo" worktree add --detach --quiet "$src" "$base" || die "cannot create a worktree of $base_name"
build base
keep_sample base
generate base "$tmp/inputs-base/generated"

if [ -n "$target" ]; then
  git -C "$src" checkout --detach --quiet "$target"
else
  # The work tree: HEAD plus its uncommitted changes and untracked (not ignored) files.
  git -C "$src" checkout --detach --quiet "$(git -C "$repo" rev-parse HEAD)"
  git -C "$repo" diff --binary HEAD >"$tmp/worktree.patch"
  if [ -s "$tmp/worktree.patch" ]; then git -C "$src" apply --whitespace=nowarn "$tmp/worktree.patch"; fi
  git -C "$repo" ls-files --others --exclude-standard -z >"$tmp/untracked"
  if [ -s "$tmp/untracked" ]; then (cd "$repo" && tar -cf - --null -T "$tmp/untracked") | tar -xf - -C "$src"; fi
fi
build target
keep_sample target
generate target "$tmp/generated-target"

echo "running the pipelines (sample, generated with $customers customers) after ${SECONDS} s..." >&2
run_pipeline base "$tmp/inputs-base/sample" sample
run_pipeline base "$tmp/inputs-base/generated" generated
run_pipeline target "$tmp/inputs-target/sample" sample
run_pipeline target "$tmp/inputs-base/generated" generated

# Every file of either side, by the path printed: sample/work/..., generated/reports/..., and
# the generated inputs as generated/input/...
mkdir -p "$tmp/out/base/generated/input" "$tmp/out/target/generated/input"
cp -R "$tmp/inputs-base/generated/." "$tmp/out/base/generated/input/"
cp -R "$tmp/generated-target/." "$tmp/out/target/generated/input/"
files=$( (cd "$tmp/out/base" && find . -type f; cd "$tmp/out/target" && find . -type f) | sed 's|^\./||' | LC_ALL=C sort -u)

allowed() {
  local g
  for g in ${allow[@]+"${allow[@]}"}; do
    # shellcheck disable=SC2053 # the glob is meant to match
    [[ "$1" == $g ]] && return 0
  done
  return 1
}

same=0
differ=0
expected=0
while IFS= read -r f; do
  [ -n "$f" ] || continue
  a="$tmp/out/base/$f"
  b="$tmp/out/target/$f"
  if [ ! -f "$a" ]; then
    what="only in $target_name"
  elif [ ! -f "$b" ]; then
    what="only in $base_name"
  elif cmp -s "$a" "$b"; then
    same=$((same + 1))
    continue
  else
    what="differs"
  fi
  if allowed "$f"; then
    expected=$((expected + 1))
    echo "allowed  $f ($what)"
  else
    differ=$((differ + 1))
    echo "DIFFERS  $f ($what)"
  fi
done <<<"$files"

echo "$base_name ($(git -C "$repo" rev-parse --short "$base")) vs $target_name${target:+ ($(git -C "$repo" rev-parse --short "$target"))}: $same identical, $differ differing, $expected allowed to differ (${SECONDS} s)"
if [ "$differ" -gt 0 ]; then exit 1; fi
echo "identical"
