#!/usr/bin/env bash
# Packs DeviceAgent.Testing into artifacts/packages and runs the sample NUnit suite (samples/DeviceAgent.Testing.Sample)
# against that package, as a user's suite would consume it (docs/testing-library.md). Extra arguments go to `dotnet test`.
# CONFIGURATION (default Release) is the build that is packed; .ci/run packs the Debug build its test run just made.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=${CONFIGURATION:-Release}
version=$(dotnet msbuild emulator/DeviceAgent.Testing/DeviceAgent.Testing.csproj -getProperty:PackageVersion)
dotnet pack emulator/DeviceAgent.Testing/DeviceAgent.Testing.csproj -c "$configuration" -o artifacts/packages
# Every pack of one version has the same number: drop the copy restore cached from an earlier pack, or the sample would test that one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/deviceagent.testing/$version"
dotnet test samples/DeviceAgent.Testing.Sample/DeviceAgent.Testing.Sample.csproj "$@"
