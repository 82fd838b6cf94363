#!/usr/bin/env bash
# End-to-end check of the path a user takes: pack Threadwise.Analyzers into a local feed, add it to
# a throw-away project outside the repository with `dotnet add package`, build it and find TW1001 in
# the build output and in SARIF, fix it with `dotnet format analyzers`, and rebuild clean.
# Fails loudly, naming the step, if any of that does not hold.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/threadwise-e2e.XXXXXX")
keep=${THREADWISE_E2E_KEEP:-0}
cleanup() { if [ "$keep" = 1 ]; then echo "e2e: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

# A version no cache has seen, and a packages folder of its own: NuGet must not serve a stale copy.
version="0.0.0-e2e.$(date +%Y%m%d%H%M%S).$$"
feed="$work/feed"
consumer="$work/consumer"
export NUGET_PACKAGES="$work/packages"

step() { echo; echo "== e2e: $*"; }
fail() { echo "E2E FAILED: $*" >&2; keep=1; exit 1; }

step "pack Threadwise.Analyzers $version"
dotnet pack "$repo/src/Threadwise.Package/Threadwise.Package.csproj" -c Release -o "$feed" \
  -p:Version="$version" -nologo -v:q || fail "dotnet pack failed"
nupkg="$feed/Threadwise.Analyzers.$version.nupkg"
[ -f "$nupkg" ] || fail "no package at $nupkg"

step "check the package layout"
listing=$(unzip -Z1 "$nupkg")
for dll in Threadwise.Analyzers.dll Threadwise.CodeFixes.dll; do
  grep -qx "analyzers/dotnet/cs/$dll" <<<"$listing" || fail "$dll is not under analyzers/dotnet/cs"
done
if grep -q '^lib/' <<<"$listing"; then fail "the package has lib/ assets: $(grep '^lib/' <<<"$listing" | tr '\n' ' ')"; fi
nuspec=$(unzip -p "$nupkg" Threadwise.Analyzers.nuspec)
grep -q '<developmentDependency>true</developmentDependency>' <<<"$nuspec" || fail "the package is not a development dependency"
grep -q '<license type="expression">' <<<"$nuspec" || fail "the package has no license expression"
grep -qx 'README.md' <<<"$listing" || fail "the package has no README"
# nuget.org shows the README outside the repository: no relative link may be left in it.
readme=$(unzip -p "$nupkg" README.md)
if grep -qE '\]\((docs|samples|build|src)/' <<<"$readme"; then fail "the package README has relative links: $(grep -oE '\]\((docs|samples|build|src)/[^)]*' <<<"$readme" | head -3 | tr '\n' ' ')"; fi
grep -q '](https://github.com/threadwise/Threadwise/blob/main/docs/rules/TW1001.md)' <<<"$readme" || fail "the package README does not link the rule pages absolutely"
# Release notes come from AnalyzerReleases.Unshipped.md: every rule of the release is named.
for id in $(grep -oE '^TW[0-9]{4}' "$repo/src/Threadwise.Analyzers/AnalyzerReleases.Unshipped.md"); do
  grep -q "<releaseNotes>.*$id" <<<"$nuspec" || fail "the release notes do not name $id"
done
for preset in Recommended Strict None; do
  grep -qx "buildTransitive/Threadwise.$preset.globalconfig" <<<"$listing" || fail "the package has no $preset preset"
done
grep -qx 'buildTransitive/Threadwise.Analyzers.targets' <<<"$listing" || fail "the package has no buildTransitive targets"
echo "layout ok: $(grep -c . <<<"$listing") entries, analyzers/dotnet/cs holds both assemblies, no lib/"

step "create a consumer project in $consumer"
mkdir -p "$consumer"
# Isolate the consumer from anything above it: it must see only what a user's project sees.
echo '<Project />' >"$consumer/Directory.Build.props"
echo '<Project />' >"$consumer/Directory.Build.targets"
echo '<Project />' >"$consumer/Directory.Packages.props"
printf 'root = true\n' >"$consumer/.editorconfig"
cat >"$consumer/nuget.config" <<CFG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
CFG
cat >"$consumer/Consumer.csproj" <<'PROJ'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
</Project>
PROJ
cat >"$consumer/Poller.cs" <<'CS'
namespace Consumer;

public static class Poller
{
    public static async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (attempts < 3)
        {
            attempts++;
            Thread.Sleep(10);
        }

        await Task.Yield();
        return attempts;
    }
}
CS
cat >"$consumer/Program.cs" <<'CS'
using Consumer;

Console.WriteLine(await Poller.PollAsync(CancellationToken.None));
CS

step "dotnet add package Threadwise.Analyzers --version $version"
(cd "$consumer" && dotnet add Consumer.csproj package Threadwise.Analyzers --version "$version") \
  || fail "dotnet add package failed"
grep -q 'PrivateAssets' "$consumer/Consumer.csproj" \
  || fail "dotnet add package did not mark the development dependency private: $(cat "$consumer/Consumer.csproj")"

step "build: TW1001 must be reported, in the output and in SARIF"
sarif="$work/consumer.sarif"
set +e
build_output=$(cd "$consumer" && dotnet build Consumer.csproj -nologo "-p:ErrorLog=$sarif%2Cversion=2.1" 2>&1)
build_exit=$?
set -e
echo "$build_output" | grep -E 'TW[0-9]{4}|error|Build succeeded' || true
[ $build_exit -eq 0 ] || fail "the consumer did not build"
grep -qE 'Poller\.cs\(11,13\): warning TW1001' <<<"$build_output" \
  || fail "no TW1001 warning at Poller.cs(11,13) in the build output"
[ -f "$sarif" ] || fail "no SARIF log at $sarif"
grep -q '"ruleId": "TW1001"' "$sarif" || fail "the SARIF log has no TW1001 result"
grep -q 'docs/rules/TW1001.md' "$sarif" || fail "the SARIF log has no help link for TW1001"

step "dotnet format analyzers --diagnostics TW1001 --severity warn"
(cd "$consumer" && dotnet format analyzers Consumer.csproj --diagnostics TW1001 --severity warn -v:q) \
  || fail "dotnet format analyzers failed"
grep -q 'await Task.Delay(10, cancellationToken);' "$consumer/Poller.cs" \
  || fail "dotnet format did not rewrite Thread.Sleep: $(cat "$consumer/Poller.cs")"
if grep -q 'Thread.Sleep' "$consumer/Poller.cs"; then fail "Thread.Sleep is still in Poller.cs"; fi

step "rebuild: no TW1001 left, and the program still runs"
set +e
rebuild_output=$(cd "$consumer" && dotnet build Consumer.csproj -nologo 2>&1)
rebuild_exit=$?
set -e
[ $rebuild_exit -eq 0 ] || { echo "$rebuild_output"; fail "the fixed consumer did not build"; }
if grep -q 'TW1001' <<<"$rebuild_output"; then echo "$rebuild_output"; fail "TW1001 is still reported after the fix"; fi
run_output=$(cd "$consumer" && dotnet run --no-build --project Consumer.csproj)
[ "$run_output" = "3" ] || fail "the fixed program printed '$run_output', expected 3"

step "presets: ThreadwiseAnalysisMode picks the severities, .editorconfig still wins"
cat >"$consumer/Modes.cs" <<'CS'
namespace Consumer;

public static class Modes
{
    private static readonly Task<int> Pending = Task.Run(() => 1);

    // TW1005: info under Recommended, a warning under Strict.
    public static int Peek() => Pending.Result;

    // TW1001: a warning under Recommended and Strict.
    public static async Task NapAsync()
    {
        Thread.Sleep(5);
        await Task.Yield();
    }
}
CS
build_mode() { (cd "$consumer" && dotnet build Consumer.csproj -nologo --no-incremental "$@" 2>&1) || true; }
has() { grep -qE "$1" <<<"$2"; }

out=$(build_mode)
has 'warning TW1001' "$out" || fail "Recommended: no TW1001 warning"
if has 'warning TW1005' "$out"; then fail "Recommended: TW1005 should be a suggestion, not a warning"; fi

out=$(build_mode -p:ThreadwiseAnalysisMode=Strict)
has 'warning TW1005' "$out" || fail "Strict: the info rule TW1005 did not become a warning"
has 'warning TW1001' "$out" || fail "Strict: no TW1001 warning"

out=$(build_mode -p:ThreadwiseAnalysisMode=None)
if has 'TW[0-9]{4}' "$out"; then echo "$out"; fail "None: Threadwise diagnostics were reported"; fi

out=$(build_mode -p:ThreadwiseAnalysisMode=All)
has 'warning TW1005' "$out" || fail "AnalysisMode vocabulary: All did not act as Strict"
out=$(build_mode -p:ThreadwiseAnalysisMode=Default)
if has 'warning TW1005' "$out"; then fail "AnalysisMode vocabulary: Default did not act as Recommended"; fi

out=$(build_mode -p:ThreadwiseAnalysisMode=Sloppy)
has 'warning TWMODE01' "$out" || fail "an unknown ThreadwiseAnalysisMode gave no TWMODE01 warning"
has 'warning TW1001' "$out" || fail "an unknown ThreadwiseAnalysisMode did not fall back to Recommended"

cp "$consumer/.editorconfig" "$work/editorconfig.saved"
printf '\n[*.cs]\ndotnet_diagnostic.TW1005.severity = none\ndotnet_diagnostic.TW1001.severity = warning\n' >>"$consumer/.editorconfig"
out=$(build_mode -p:ThreadwiseAnalysisMode=Strict)
if has 'TW1005' "$out"; then fail ".editorconfig 'TW1005 = none' did not beat the Strict preset"; fi
out=$(build_mode -p:ThreadwiseAnalysisMode=None)
has 'warning TW1001' "$out" || fail ".editorconfig 'TW1001 = warning' did not opt in under the None preset"
cp "$work/editorconfig.saved" "$consumer/.editorconfig"

step "severity precedence like every analyzer package: the user's category and bulk entries win"
printf '\n[*.cs]\ndotnet_analyzer_diagnostic.category-Threadwise.Blocking.severity = none\n' >>"$consumer/.editorconfig"
for mode in Recommended Strict; do
  out=$(build_mode -p:ThreadwiseAnalysisMode=$mode)
  if has 'TW100[0-9]' "$out"; then echo "$out"; fail "$mode: category 'Threadwise.Blocking = none' did not silence the blocking family"; fi
done
cp "$work/editorconfig.saved" "$consumer/.editorconfig"
printf '\n[*.cs]\ndotnet_analyzer_diagnostic.severity = none\n' >>"$consumer/.editorconfig"
out=$(build_mode)
if has 'TW[0-9]{4}' "$out"; then echo "$out"; fail "Recommended: bulk 'dotnet_analyzer_diagnostic.severity = none' did not silence Threadwise"; fi
printf 'dotnet_diagnostic.TW1001.severity = error\n' >>"$consumer/.editorconfig"
out=$(build_mode -p:ThreadwiseAnalysisMode=None)
has 'error TW1001' "$out" || { echo "$out"; fail "None: a per-rule entry did not beat the preset and the bulk entry"; }
cp "$work/editorconfig.saved" "$consumer/.editorconfig"
printf '\n[*.cs]\ndotnet_analyzer_diagnostic.category-Threadwise.Blocking.severity = error\n' >>"$consumer/.editorconfig"
out=$(build_mode -p:ThreadwiseAnalysisMode=None)
has 'error TW1001' "$out" || { echo "$out"; fail "None: the user's category entry did not beat the preset's"; }
cp "$work/editorconfig.saved" "$consumer/.editorconfig"

step "a bad option is reported once as TW0001 and analysis goes on"
printf '\n[*.cs]\nthreadwise.interprocedural_depth = lots\n' >>"$consumer/.editorconfig"
out=$(build_mode)
has "warning TW0001: Threadwise option 'threadwise.interprocedural_depth' has an invalid value 'lots'" "$out" \
  || { echo "$out"; fail "no TW0001 for a bad option"; }
has 'warning TW1001' "$out" || fail "a bad option stopped the other rules"
cp "$work/editorconfig.saved" "$consumer/.editorconfig"

step "a net48 project on C# 7.3: one dotnet format run, and it still builds"
legacy="$work/legacy"
mkdir -p "$legacy"
cp "$consumer/Directory.Build.props" "$consumer/Directory.Build.targets" "$consumer/Directory.Packages.props" "$legacy/"
# The .NET Framework reference assemblies come from the package registry; Threadwise from the feed.
cat >"$legacy/nuget.config" <<CFG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CFG
printf 'root = true\n\n[*.cs]\ndotnet_diagnostic.TW1005.severity = warning\n' >"$legacy/.editorconfig"
cat >"$legacy/Legacy.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net48</TargetFramework>
    <LangVersion>7.3</LangVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Threadwise.Analyzers" Version="$version" PrivateAssets="all" />
  </ItemGroup>
</Project>
PROJ
cat >"$legacy/Counter.cs" <<'CS'
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

public class Counter
{
    private int _count;
    private double _sum;
    private readonly List<int> _seen = new List<int>();

    public void Add() { lock (this) { _count++; } }

    public void Race(int[] items)
    {
        Parallel.ForEach(items, x => { _sum += x; _seen.Add(x); });
    }

    public async Task NapAsync()
    {
        Thread.Sleep(5);
        Process.Start("worker");
        await Task.Yield();
    }

    public void Run() { Process.Start("worker"); }
}
CS
set +e
legacy_output=$(cd "$legacy" && dotnet build Legacy.csproj -nologo 2>&1)
legacy_exit=$?
set -e
[ $legacy_exit -eq 0 ] || { echo "$legacy_output"; fail "the net48 project did not build before the fix"; }
has 'warning TW2004' "$legacy_output" || { echo "$legacy_output"; fail "net48: no TW2004 for lock (this)"; }
(cd "$legacy" && dotnet format analyzers Legacy.csproj --severity info -v:q) || fail "dotnet format analyzers failed on the net48 project"
grep -q 'new object()' "$legacy/Counter.cs" || fail "net48: the lock fix did not write 'new object()': $(cat "$legacy/Counter.cs")"
if grep -qE '= new\(\)|using var' "$legacy/Counter.cs"; then fail "net48: a fix wrote C# 8+/9+ syntax: $(cat "$legacy/Counter.cs")"; fi
set +e
legacy_output=$(cd "$legacy" && dotnet build Legacy.csproj -nologo --no-incremental 2>&1)
legacy_exit=$?
set -e
[ $legacy_exit -eq 0 ] || { echo "$legacy_output"; cat "$legacy/Counter.cs"; fail "the net48 project no longer builds after one dotnet format run"; }

step "a multi-targeted library: no fix that one of its frameworks cannot compile"
multi="$work/multi"
mkdir -p "$multi"
cp "$consumer/Directory.Build.props" "$consumer/Directory.Build.targets" "$consumer/Directory.Packages.props" "$legacy/nuget.config" "$multi/"
printf 'root = true\n\n[*.cs]\ndotnet_diagnostic.TW1007.severity = warning\n' >"$multi/.editorconfig"
cat >"$multi/Multi.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFrameworks>netstandard2.0;net10.0</TargetFrameworks>
    <LangVersion>latest</LangVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Threadwise.Analyzers" Version="$version" PrivateAssets="all" />
  </ItemGroup>
</Project>
PROJ
cat >"$multi/Store.cs" <<'CS'
using System.IO;
using System.Threading;
using System.Threading.Tasks;

public static class Store
{
    public static async Task<string> SaveAndReadAsync(string path, StreamReader reader, CancellationToken cancellationToken)
    {
        using var file = File.OpenWrite(path);
        await file.WriteAsync(new byte[1], 0, 1, cancellationToken);
        return await reader.ReadToEndAsync();
    }

    public static async Task WriteAsync(Stream stream, string text)
    {
        using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text);
    }
}
CS
set +e
multi_output=$(cd "$multi" && dotnet build Multi.csproj -nologo 2>&1)
multi_exit=$?
set -e
[ $multi_exit -eq 0 ] || { echo "$multi_output"; fail "the multi-targeted project did not build"; }
if has 'TW1007' "$multi_output" || has "TW1008.*use 'await using'" "$multi_output"; then echo "$multi_output"; fail "multi-target: TW1007/TW1008 offered what netstandard2.0 lacks"; fi
has "warning TW1008.*flush it first with 'await writer\.FlushAsync\(\)'" "$multi_output" \
  || { echo "$multi_output"; fail "multi-target: the writer was not told to flush first"; }
multi_output=$(cd "$multi" && dotnet build Multi.csproj -nologo --no-incremental -p:TargetFrameworks=net10.0 2>&1) || true
has 'warning TW1007' "$multi_output" && has 'warning TW1008' "$multi_output" \
  || { echo "$multi_output"; fail "single-target net10.0: TW1007 and TW1008 were not reported"; }

echo
echo "e2e: OK (pack, layout, PackageReference, build warning, SARIF, dotnet format fix, clean rebuild, presets, TW0001, net48/C# 7.3 fixes, multi-targeting)"
