#!/usr/bin/env bash
# Keeps a campaign's findings as regression inputs (fuzz/README.md "Regression inputs"):
#   fuzz/collect.sh TARGET [N]
# copies every crash and hang of $FUZZ_WORK/TARGET/out* (every campaign, named by content hash) and N (default 8) new-coverage inputs of the latest queue
# into tests/corpus/fuzz/TARGET/, each named after the outcome it has now ("accepted-" or "rejected-"), as
# FuzzRegressionTests expects. An input that still crashes is not copied: fix the product first (exit status 1).
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 TARGET [N]" >&2
  exit 2
fi
target=$1
count=${2:-8}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${FUZZ_WORK:-/tmp/deviceagent-fuzz}
dest=$repo/tests/corpus/fuzz/$target
driver=$repo/fuzz/DeviceAgent.Fuzz/bin/Release/net10.0/DeviceAgent.Fuzz.dll
mkdir -p "$work"
(
  flock 9 # run.sh builds the same projects
  dotnet build "$repo/fuzz/DeviceAgent.Fuzz/DeviceAgent.Fuzz.csproj" -c Release -nologo -v q >&2
) 9>"$work/build.lock"

picked=$(mktemp -d)
trap 'rm -rf "$picked"' EXIT
for dir in crashes:crash hangs:hang; do
  kind=${dir#*:}
  for f in "$work/$target"/out*/default/"${dir%:*}"/id:*; do
    [ -f "$f" ] || continue
    # Named by content: the same input found by two campaigns is kept once.
    cp "$f" "$picked/$kind-$(sha256sum "$f" | cut -c1-12)"
  done
done
# New-coverage queue entries under 8 KiB, spread evenly over the queue (early ones are near the seeds, late ones deep).
mapfile -t cov < <(find "$work/$target/out/default/queue" -maxdepth 1 -name 'id:*+cov*' -size -8k | sort)
if [ "${#cov[@]}" -gt 0 ]; then
  step=$(( (${#cov[@]} + count - 1) / count ))
  for ((i = 0; i < ${#cov[@]}; i += step)); do
    id=$(basename "${cov[$i]}" | sed 's/^id:\([0-9]*\).*/\1/')
    cp "${cov[$i]}" "$picked/queue-$id"
  done
fi

# And the queue's first entry, a seed as afl kept it: usually an input the target accepts.
first=$(find "$work/$target/out/default/queue" -maxdepth 1 -name 'id:000000*' -size -64k | head -1)
[ -n "$first" ] && cp "$first" "$picked/queue-000000"

mkdir -p "$dest"
failed=0
while read -r outcome file; do
  case $outcome in
    Accepted) cp "$file" "$dest/accepted-$(basename "$file")" ;;
    Rejected) cp "$file" "$dest/rejected-$(basename "$file")" ;;
    CRASH) echo "still crashes: $file" >&2; failed=1 ;;
  esac
done < <(dotnet "$driver" replay "$target" "$picked" | grep -E '^(Accepted|Rejected|CRASH)' | sed 's/:.*//' || true)
ls "$dest"
exit $failed
