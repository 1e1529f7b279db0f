#!/usr/bin/env bash
# Mutation testing with Stryker.NET (docs/testing.md "Mutation testing"): one run per target, each a narrow --mutate
# over one project, tested by the smallest test project that covers it, so that a run fits on a shared build machine.
#
#   scripts/mutation.sh summary <mutation-report.json>   per-file table (as in docs/testing.md) and the survivors
#   scripts/mutation.sh <target>...      targets: codec-top codec-reading codec-wbxml codec-writing codec-writer
#                                                  executor codec (= all codec-*) all (= codec + executor)
#   STRYKER_CONCURRENCY=2 scripts/mutation.sh executor      (default 1 worker)
#   STRYKER_ARGS=--disable-bail scripts/mutation.sh executor  (extra Stryker options: with --disable-bail the report
#                                    names every test that kills a mutant, so a run after new tests also tells which
#                                    mutants only the new tests kill, i.e. the score before them)
#   STRYKER_MUTATE='SyncMLEquivalence.cs{120..140};ItemList.cs' scripts/mutation.sh codec-top
#                                    (re-run only these globs/line spans of the target's project, e.g. its survivors)
#
# Reports (json, html, cleartext) go to StrykerOutput/<target>/<timestamp>/reports under the repository root
# (ignored by git). The score table in docs/testing.md is the "All files" line of the cleartext report.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
concurrency=${STRYKER_CONCURRENCY:-1}

# target -> "test project directory|project under test|mutate globs relative to that project's directory, ';'-separated"
# The executor's own fixtures (tests/DeviceAgent.Tests/Dm) as a test project of their own, generated for the run and
# removed after it. Why not DeviceAgent.Tests with a test case filter: Stryker 5.1's VSTest runner ends the initial
# run with "Initial test run could not be completed" under --test-case-filter (stryker-net issue 3242), and the whole
# of DeviceAgent.Tests (493 tests, PIN flows, sessions) made each mutant batch take ~45 s on the shared machine.
# Under TestResults/ so that git and ArchitectureDocumentTests (which skip obj, bin and TestResults) ignore it; the
# assembly keeps the name DeviceAgent.Tests so that DeviceAgent's InternalsVisibleTo applies.
dm_tests=tests/TestResults/stryker/DeviceAgent.Dm.MutationTests
dm_test_project() {
  mkdir -p "$root/$dm_tests"
  cat >"$root/$dm_tests/DeviceAgent.Dm.MutationTests.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <IsPackable>false</IsPackable>
    <IsTestProject>true</IsTestProject>
    <AssemblyName>DeviceAgent.Tests</AssemblyName>
    <RootNamespace>DeviceAgent.Tests</RootNamespace>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" />
    <PackageReference Include="NUnit" />
    <PackageReference Include="NUnit3TestAdapter" />
    <PackageReference Include="NUnit.Analyzers" />
  </ItemGroup>
  <ItemGroup>
    <ProjectReference Include="../../../../agent/DeviceAgent/DeviceAgent.csproj" />
    <Compile Include="../../../DeviceAgent.Tests/Dm/*.cs" Link="Dm/%(Filename)%(Extension)" />
    <Using Include="NUnit.Framework" />
  </ItemGroup>
</Project>
XML
}

# The codec's top-level files (not the folders, not SyncMLWriter.cs, which codec-writer runs alone; AssemblyInfo.cs
# holds attributes only).
codec_top_files() {
  (cd "$root/agent/DeviceAgent.SyncML" && ls *.cs | grep -v -x -e SyncMLWriter.cs -e AssemblyInfo.cs | paste -sd';')
}

describe() {
  case "$1" in
    codec-top)
      # Every top-level file of the codec but SyncMLWriter.cs, which codec-writer covers on its own.
      echo "tests/DeviceAgent.SyncML.Tests|DeviceAgent.SyncML.csproj|$(codec_top_files)" ;;
    codec-writer)  echo "tests/DeviceAgent.SyncML.Tests|DeviceAgent.SyncML.csproj|SyncMLWriter.cs" ;;
    codec-reading) echo "tests/DeviceAgent.SyncML.Tests|DeviceAgent.SyncML.csproj|Reading/*.cs" ;;
    codec-wbxml)   echo "tests/DeviceAgent.SyncML.Tests|DeviceAgent.SyncML.csproj|Wbxml/*.cs" ;;
    codec-writing) echo "tests/DeviceAgent.SyncML.Tests|DeviceAgent.SyncML.csproj|Writing/*.cs" ;;
    executor)
      # DmCommandExecutor is three partial files, tested by the Dm fixtures of DeviceAgent.Tests (see dm_test_project).
      echo "$dm_tests|DeviceAgent.csproj|Dm/DmCommandExecutor*.cs" ;;
    *) echo "mutation.sh: unknown target '$1'" >&2; exit 2 ;;
  esac
}

expand() {
  case "$1" in
    codec) echo codec-top codec-writer codec-writing codec-wbxml codec-reading ;;
    all) echo codec-top codec-writer codec-writing codec-wbxml codec-reading executor ;;
    *) echo "$1" ;;
  esac
}

[[ $# -gt 0 ]] || { sed -n '2,14p' "$0" >&2; exit 2; }

if [[ $1 == summary ]]; then
  # Score as Stryker computes it: (killed + timeout) / (killed + timeout + survived + no coverage).
  python3 - "$2" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
rows, survivors, total = [], [], collections.Counter()
for path, f in sorted(report["files"].items()):
    c = collections.Counter(m["status"] for m in f["mutants"])
    total.update(c)
    detected = c["Killed"] + c["Timeout"]
    valid = detected + c["Survived"] + c["NoCoverage"]
    if valid == 0: continue
    short = path[path.index("agent/"):] if "agent/" in path else path
    rows.append(f"| {short} | {valid} | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | {c['CompileError']} | {100 * detected / valid:.2f} % |")
    for m in f["mutants"]:
        if m["status"] in ("Survived", "NoCoverage"):
            loc = m["location"]["start"]
            survivors.append(f"{short}:{loc['line']}:{loc['column']} {m['status']} {m['mutatorName']}: {m.get('replacement', '')!r}")
detected = total["Killed"] + total["Timeout"]
valid = detected + total["Survived"] + total["NoCoverage"]
print("| file | mutants | killed | timeout | survived | no coverage | not compiling | score |")
print("|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
if valid: print(f"| all | {valid} | {total['Killed']} | {total['Timeout']} | {total['Survived']} | {total['NoCoverage']} | {total['CompileError']} | {100 * detected / valid:.2f} % |")
print()
print("\n".join(survivors))
PY
  exit 0
fi
targets=()
for arg in "$@"; do for t in $(expand "$arg"); do describe "$t" >/dev/null; targets+=("$t"); done; done

cd "$root"
dotnet tool restore >/dev/null
for target in "${targets[@]}"; do
  IFS='|' read -r testdir project globs <<<"$(describe "$target")"
  globs=${STRYKER_MUTATE:-$globs}
  read -r -a extra <<<"${STRYKER_ARGS:-}"
  args=(--project "$project" --concurrency "$concurrency" --reporter json --reporter html --reporter cleartext
        --reporter dots --log-to-file --output "$root/StrykerOutput/$target/$(date -u +%Y%m%dT%H%M%SZ)" --skip-version-check "${extra[@]}")
  IFS=';' read -r -a patterns <<<"$globs"
  for p in "${patterns[@]}"; do
    # Anchored at the project's own folder name, so "Reading/*.cs" cannot match another project's Reading folder.
    args+=(--mutate "**/${project%.csproj}/$p")
  done
  # Coverage analysis per test: each mutant runs only the tests that reach it (Stryker's default, stated here so
  # a changed default does not silently make runs slower).
  config=$(mktemp --suffix=.json)
  printf '{ "stryker-config": { "coverage-analysis": "perTest" } }\n' >"$config"
  if [[ $testdir == "$dm_tests" ]]; then dm_test_project; fi
  echo "== $target: $testdir ${args[*]}" >&2
  (cd "$testdir" && dotnet dotnet-stryker --config-file "$config" "${args[@]}")
  rm -f "$config"
  if [[ $testdir == "$dm_tests" ]]; then rm -rf "${root:?}/$dm_tests"; fi
done
