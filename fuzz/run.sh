#!/usr/bin/env bash
# Runs one fuzz target under afl-fuzz for a given time (fuzz/README.md).
#   fuzz/run.sh TARGET SECONDS
# Builds fuzz/DeviceAgent.Fuzz (Release), copies the build to $FUZZ_WORK/bin/<hash> and instruments the product
# assemblies there with `dotnet sharpfuzz` (once per build), assembles the target's seed corpus from the repository,
# then runs afl-fuzz until SECONDS have passed or FUZZ_MAX_EXECS (default 1,000,000) executions are done.
# Findings go to $FUZZ_WORK/<target>/out (default FUZZ_WORK: /tmp/deviceagent-fuzz), outside the repository.
# Needs afl++ and the SharpFuzz tool: scripts/install-fuzz.sh.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${FUZZ_WORK:-/tmp/deviceagent-fuzz}
max_execs=${FUZZ_MAX_EXECS:-1000000}
# A hang is an input that runs longer than this. Not lower: under instrumentation the first input that takes a new path
# JIT-compiles it, which took 1.3 s for a whole enrollment on an idle-ish machine and over 5 s on a loaded one.
timeout_ms=${FUZZ_TIMEOUT_MS:-20000}
mkdir -p "$work"

# The assemblies whose code the targets exercise; the harness itself (DeviceAgent.Fuzzing) is not instrumented, so
# its own branches do not count as new paths.
instrumented=(DeviceAgent.SyncML.dll DeviceAgent.Protocol.dll DeviceAgent.dll MockMdm.dll MockMdm.PinReset.dll
  DeviceAgent.Emulator.dll YamlDotNet.dll)

build=$repo/fuzz/DeviceAgent.Fuzz/bin/Release/net10.0
(
  flock 9
  dotnet build "$repo/fuzz/DeviceAgent.Fuzz/DeviceAgent.Fuzz.csproj" -c Release -nologo -v q >&2
) 9>"$work/build.lock"
hash=$(cat "$build"/*.dll | sha256sum | cut -c1-16)
bin=$work/bin/$hash
(
  flock 9
  if [ ! -f "$bin/.instrumented" ]; then
    rm -rf "$bin.tmp"
    mkdir -p "$work/bin"
    cp -r "$build" "$bin.tmp"
    for dll in "${instrumented[@]}"; do
      (cd "$repo" && dotnet sharpfuzz "$bin.tmp/$dll") >&2
    done
    touch "$bin.tmp/.instrumented"
    mv "$bin.tmp" "$bin"
  fi
) 9>"$work/build.lock"

# The seed corpus: the repository's own inputs for this target, plus every regression input kept for it.
in=$work/$target/in
rm -rf "$in"
mkdir -p "$in"
seed() { # copy files given by find arguments, prefixed by their folder so names stay unique
  find "$@" -type f -print0 | while IFS= read -r -d '' f; do
    rel=${f#"$repo"/}
    cp "$f" "$in/${rel//\//_}"
  done
}
case $target in
  syncml-xml) seed "$repo/tests/corpus/syncml" -name '*.xml' ;;
  wbxml) seed "$repo/tests/corpus/syncml" -name '*.wbxml' ;;
  ddf) seed "$repo/agent/DeviceAgent/Ddf" -name '*.xml' -size -8k ;;
  scenario) seed "$repo/scenarios" -name '*.yaml' ;;
esac
[ -d "$repo/fuzz/seeds/$target" ] && seed "$repo/fuzz/seeds/$target"
[ -d "$repo/tests/corpus/fuzz/$target" ] && seed "$repo/tests/corpus/fuzz/$target"
if [ -z "$(ls -A "$in")" ]; then
  echo "no seeds for target '$target' (unknown target?)" >&2
  exit 2
fi

out=$work/$target/out
# A new campaign starts from the seeds; an earlier one's findings are kept beside it.
[ -d "$out" ] && mv "$out" "$out.$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$out"
echo "target=$target seconds=$seconds max_execs=$max_execs bin=$bin out=$out" >&2
# AFL_SKIP_BIN_CHECK: the binary is dotnet, instrumented at the IL level by SharpFuzz, not by afl's compiler.
# AFL_NO_AFFINITY: the machine is shared; do not pin to a core. AFL_NO_UI: plain log for background runs.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0
started=$(date -u +%FT%TZ)
status=0
afl-fuzz -i "$in" -o "$out" -t "$timeout_ms" -m none -V "$seconds" -E "$max_execs" \
  -- dotnet "$bin/DeviceAgent.Fuzz.dll" "$target" || status=$?

# One row of fuzz/README.md's table, from afl's final statistics.
stat() { sed -n "s/^$1 *: //p" "$out/default/fuzzer_stats"; }
execs=$(stat execs_done)
run_time=$(stat run_time)
printf '| %s | %s | %s | %s | %s | %s | %s | %s s | %s | %s |\n' "$target" "$execs" "$(stat corpus_count)" \
  "$(stat edges_found)" "$(stat saved_crashes)" "$(stat saved_hangs)" "$(stat stability)" "$run_time" \
  "$((execs / (run_time > 0 ? run_time : 1)))" "$started" | tee "$out/summary.md"
exit $status
