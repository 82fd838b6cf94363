#!/usr/bin/env bash
# The oldest host the README promises: pack the analyzers, load the packed DLLs with Roslyn 4.8
# (Visual Studio 2022 17.8's compiler) the way a host does, run them over the Unfixed sample and
# compare with what the SDK build reports; every fix provider must load and offer its fixes.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/threadwise-oldhost.XXXXXX")
trap 'rm -rf "$work"' EXIT

dotnet pack "$repo/src/Threadwise.Package/Threadwise.Package.csproj" -c Release -o "$work/feed" -nologo -v:q >/dev/null
unzip -q -o "$work"/feed/Threadwise.Analyzers.*.nupkg 'analyzers/dotnet/cs/*' -d "$work/package"

# The SDK build's findings (the Unfixed sample runs the Strict preset: every rule as a warning).
dotnet build "$repo/samples/Threadwise.Samples.Unfixed" --no-incremental -nologo 2>&1 \
  | grep -oE '[^/ ]+\.cs\([0-9]+,[0-9]+\): warning TW[0-9]{4}' | sed 's/: warning /: /' | sort -u >"$work/expected.txt"
echo "SDK build: $(wc -l <"$work/expected.txt") findings"

dotnet run --project "$repo/build/oldhost/Threadwise.OldHost.csproj" -c Release -- \
  "$work/package/analyzers/dotnet/cs" "$repo/samples/Threadwise.Samples.Unfixed" "$work/expected.txt"
echo "old host: OK"
