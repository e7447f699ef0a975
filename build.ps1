#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates the KafkaCatalog module.
.DESCRIPTION
    The one test driver: it knows the test projects and suites. tests/run-tests.sh (README's test
    command, what CI runs) only installs the machine prerequisites and the pinned tools, then calls
    `./build.ps1 -Task Test` through the pinned pwsh (`dotnet tool run pwsh`).

    Tasks:
      Tools    restores the pinned test tools: Pester 5.9.1 (and a test fixture module) under out/tools/Modules.
      Build    dotnet build of the solution (librdkafka comes from the librdkafka.redist package).
      Package  out/KafkaCatalog/ (the PSGallery module folder, dependencies isolated in their own
               AssemblyLoadContext under dependencies/) and out/KafkaCatalog.<version>.nupkg.
      Test     Build, Package, every xunit project, the real-cluster pass, then the Pester suites against
               the module installed from a local PSResourceGet repository; prints
               "N passed, N failed, N skipped" computed from the results files (trx, Pester NUnit XML)
               and fails when anything failed.
      Pester   Package, then only the Pester suites (-PesterPath narrows them).
      Docs     regenerates module/en-US/KafkaCatalog.PowerShell.dll-Help.xml from docs/*.md.
      Demo     installs the package, starts the sandbox cluster with the Atlan and Polaris emulators and
               opens pwsh with the module imported by name and connected (tests/sandbox.sh calls this).
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Pester -PesterPath tests/Pester/Kafka.Topics.Tests.ps1
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Tools', 'Build', 'Format', 'Package', 'Test', 'Pester', 'Docs', 'Demo')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # Build librdkafka from source (Linux x64; for Kerberos/GSSAPI) instead of using librdkafka.redist.
    [switch] $LibrdkafkaFromSource,
    # Pester test files or folders to run (default: tests/Pester).
    [string[]] $PesterPath,
    # xunit projects to run, by name (default: every test project in the solution).
    [string[]] $TestProject,
    # Skip the real-cluster pass of the integration tests (Test task).
    [switch] $NoRealClusterPass,
    # More arguments for the sandbox's `serve` (Demo task), e.g. --sasl, --tls, --brokers 5.
    [string[]] $ServeArgument
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$results = Join-Path $root 'out/test-results'
$toolModules = Join-Path $root 'out/tools/Modules'
$msbuildArgs = @('-c', $Configuration, '-nologo')
if ($LibrdkafkaFromSource) { $msbuildArgs += '-p:LibrdkafkaFromSource=true' }
$testKitDll = Join-Path $root "tests/KafkaCatalog.TestKit/bin/$Configuration/net10.0/KafkaCatalog.TestKit.dll"

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
}

# The command line that starts this same pwsh (the pinned dotnet tool runs as `dotnet pwsh.dll`).
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ((Split-Path $process -Leaf) -match '^dotnet(\.exe)?$') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Invoke-Tools {
    Invoke-Native dotnet (@('build', "$root/tests/tools/KafkaCatalog.TestTools.csproj", '-v:q') + $msbuildArgs)
}

function Invoke-Build {
    if ($LibrdkafkaFromSource) { Invoke-Native bash @("$root/.ci/build-librdkafka.sh") }
    Invoke-Native dotnet (@('build', "$root/KafkaCatalog.sln", '-clp:ErrorsOnly') + $msbuildArgs)
}

function Invoke-Package {
    # The same MSBuild target scripts outside build.ps1 call and the package-layout tests verify.
    Invoke-Native dotnet (@('build', "$root/src/KafkaCatalog.PowerShell/KafkaCatalog.PowerShell.csproj", '-t:PackageModule', '-clp:ErrorsOnly') + $msbuildArgs)
    $nupkg = Join-Path $root "out/KafkaCatalog.$(Get-ModuleVersion).nupkg"
    Write-Host ("Module folder: {0}  Package: {1} ({2:N1} MB)" -f (Join-Path $root 'out/KafkaCatalog'), $nupkg, ((Get-Item $nupkg).Length / 1MB))
}

# Processes of the TestKit sandbox (tests start it as `dotnet KafkaCatalog.TestKit.dll serve`). With -RunId, only those
# started under a run of ours: every process the Pester run starts inherits KAFKACATALOG_TEST_RUN_ID, which Linux shows
# in /proc/<pid>/environ even after the process was orphaned (other checkouts' test runs on the same machine do not count).
function Get-TestKitProcess {
    param([string] $RunId)
    @(Get-Process -ErrorAction SilentlyContinue | Where-Object {
            try {
                $_.CommandLine -match 'KafkaCatalog\.TestKit' -and (
                    -not $RunId -or -not $IsLinux -or
                    ([IO.File]::ReadAllText("/proc/$($_.Id)/environ") -split "`0") -contains "KAFKACATALOG_TEST_RUN_ID=$RunId")
            }
            catch { $false }
        })
}

<#
  Starts the TestKit sandbox as `dotnet KafkaCatalog.TestKit.dll serve ...` with its standard input
  held by this process (tests/tools/SandboxProcess.cs): when this process ends (even killed), the pipe
  closes and the sandbox stops, so no sandbox outlives its owner.
#>
function Start-Sandbox {
    param([string[]] $ServeArguments, [int] $TimeoutSec = 60, [switch] $OwnSession)
    if (-not (Test-Path $testKitDll)) { throw "KafkaCatalog.TestKit is not built ($testKitDll); run ./build.ps1 -Task Build first." }
    if (-not ('KafkaCatalogTestTools.SandboxProcess' -as [type])) { Add-Type -Path (Join-Path $root 'tests/tools/SandboxProcess.cs') }
    $command = @('dotnet', $testKitDll, 'serve') + $ServeArguments
    # Its own session: Ctrl+C at the demo prompt must reach pwsh, not stop the sandbox.
    if ($OwnSession -and (Get-Command setsid -ErrorAction SilentlyContinue)) { $command = @('setsid') + $command }
    $sandbox = [KafkaCatalogTestTools.SandboxProcess]::Start($command[0], [string[]]@($command | Select-Object -Skip 1))
    if (-not $sandbox.WaitForLine('^Ready\.', 0, [timespan]::FromSeconds($TimeoutSec))) {
        $sandbox.Dispose()
        throw "The TestKit sandbox did not start within $TimeoutSec s: $($sandbox.Lines -join "`n")"
    }
    $sandbox
}

function Stop-Sandbox {
    param($Sandbox)
    $Sandbox.Dispose()
}

# The xunit test projects of the solution (the benchmarks and the contract tests' broken sample are not tests).
function Get-TestProject {
    $projects = & dotnet sln "$root/KafkaCatalog.sln" list | Where-Object { $_ -match '^tests/.*\.csproj$' } | Where-Object {
        (Get-Content (Join-Path $root $_) -Raw) -match '<IsTestProject>true</IsTestProject>'
    }
    if ($TestProject) { $projects = $projects | Where-Object { [IO.Path]::GetFileNameWithoutExtension($_) -in $TestProject } }
    $projects
}

function Invoke-DotnetTest {
    param([string] $Project, [string] $ResultName, [string[]] $Extra = @())
    $log = Join-Path $results "$ResultName.log"
    $arguments = @('test', (Join-Path $root $Project), '--no-build', '--blame-hang-timeout', '10m',
        '--logger', "trx;LogFileName=$ResultName.trx", '--results-directory', $results) + $msbuildArgs + $Extra
    $shown = 0
    & dotnet @arguments 2>&1 | ForEach-Object {
        $line = "$_"
        Add-Content -Path $log -Value $line
        if ($shown -lt 200 -and $line -match '^\s*(Failed |Passed!|Failed!|Error Message|  X )|error') { $shown++; Write-Host $line }
    }
    if (-not (Test-Path (Join-Path $results "$ResultName.trx"))) {
        Write-Host "   no results for $ResultName (crashed?): see $log"
        # Counted as a failure by the summary.
        Set-Content (Join-Path $results "$ResultName.crashed") "dotnet test exited with $LASTEXITCODE without results"
    }
}

function Invoke-XunitSuites {
    foreach ($project in Get-TestProject) {
        $name = [IO.Path]::GetFileNameWithoutExtension($project)
        Write-Host "== $name"
        Invoke-DotnetTest -Project $project -ResultName $name
    }
}

<#
  Real-cluster mode, proven on every run: the real-cluster-capable integration test classes again, against the
  TestKit sandbox run as a separate process the tests cannot reach into (KAFKACATALOG_TEST_BOOTSTRAP), like a
  default-configured broker (--auto-create-topics) with an authorizer (--acls). Their [TestKitFact]s are
  reported skipped here; they ran in the normal pass. $env:REALCLUSTER_SASL = 1 runs it over SCRAM-SHA-512.
#>
function Invoke-RealClusterPass {
    $classes = 'KafkaTestTargetTests', 'TopicServiceTests', 'ClusterServiceTests', 'TopicAdminServiceTests', 'ConsumerGroupServiceTests',
    'MessageServiceTests', 'ConsumerGroupOffsetTests', 'OffsetResetTests', 'AclServiceTests', 'AclWithoutAuthorizerTests', 'BadInputTests'
    $filter = ($classes | ForEach-Object { "FullyQualifiedName~.$_." }) -join '|'
    $serve = @('--acls', '--auto-create-topics')
    $sasl = $env:REALCLUSTER_SASL -eq '1'
    if ($sasl) { $serve += @('--sasl', '--sasl-user', "it-admin:it-$(Get-Random)-secret") }
    Write-Host '== KafkaCatalog.IntegrationTests (real-cluster mode)'
    $sandbox = Start-Sandbox -ServeArguments $serve
    $saved = @{}
    $settings = @{
        KAFKACATALOG_TEST_BOOTSTRAP         = $sandbox.Settings()['bootstrap.servers']
        KAFKACATALOG_TEST_ACLS              = '1'
        KAFKACATALOG_TEST_SECURITY_PROTOCOL = $sandbox.Settings()['security.protocol']
    }
    if ($sasl) {
        $settings.KAFKACATALOG_TEST_SASL_MECHANISM = 'SCRAM-SHA-512'
        $settings.KAFKACATALOG_TEST_SASL_USERNAME = $sandbox.Settings()['sasl.username']
        $settings.KAFKACATALOG_TEST_SASL_PASSWORD = $sandbox.Settings()['sasl.password']
    }
    try {
        Write-Host "   sandbox pid $($sandbox.Process.Id): $($settings.KAFKACATALOG_TEST_BOOTSTRAP) ($($settings.KAFKACATALOG_TEST_SECURITY_PROTOCOL))"
        foreach ($k in $settings.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $settings[$k]) }
        Invoke-DotnetTest -Project 'tests/KafkaCatalog.IntegrationTests/KafkaCatalog.IntegrationTests.csproj' -ResultName 'IntegrationTests.RealCluster' -Extra @('--filter', $filter)
    }
    finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        Stop-Sandbox $sandbox
    }
}

<#
  The Pester suites run against the module as a user installs it: the nupkg the Package task built is put
  in a local PSResourceGet repository and installed with Install-PSResource into a throw-away home folder
  (a fresh user: no profile, no other KafkaCatalog, nothing left in the real home), then a fresh pwsh
  imports it by name (tests/Pester/Invoke-InstalledPester.ps1). Counts TestKit processes before and after:
  a suite that leaves one behind fails the run.
#>
function Invoke-PesterSuites {
    Invoke-Tools
    $version = Get-ModuleVersion
    $nupkg = Join-Path $root "out/KafkaCatalog.$version.nupkg"
    if (-not (Test-Path $nupkg)) { throw "$nupkg is missing; run ./build.ps1 -Task Package first." }
    $paths = if ($PesterPath) { $PesterPath | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $root 'tests/Pester') }
    $userHome = Join-Path ([IO.Path]::GetTempPath()) ("kafkacatalog-pester-home-" + [guid]::NewGuid().ToString('N'))
    $repository = Join-Path $userHome 'repository'
    New-Item -ItemType Directory -Force $repository | Out-Null
    Copy-Item $nupkg $repository
    New-Item -ItemType Directory -Force $results | Out-Null
    $runId = [guid]::NewGuid().ToString('N')
    $before = @(Get-TestKitProcess)
    Write-Host "== Pester (module $version installed from $repository; TestKit processes before: $($before.Count))"
    $pwsh = Get-PwshCommand
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/Pester/Invoke-InstalledPester.ps1'),
        '-Repository', $repository, '-ModuleVersion', $version, '-ResultPath', (Join-Path $results 'Pester.xml'),
        '-ToolModulePath', $toolModules, '-TestKitPath', $testKitDll, '-Path') + $paths
    $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + $arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.Environment['HOME'] = $userHome
    foreach ($xdg in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { [void] $psi.Environment.Remove($xdg) }
    $psi.Environment['PSModulePath'] = ''
    $psi.Environment['DOTNET_CLI_HOME'] = $userHome
    $psi.Environment['KAFKACATALOG_TEST_RUN_ID'] = $runId
    $process = [Diagnostics.Process]::Start($psi)
    # A bound on the whole run: a hung suite fails instead of eating CI's time.
    if (-not $process.WaitForExit([TimeSpan]::FromMinutes(30))) {
        $process.Kill($true)
        Set-Content (Join-Path $results 'Pester.crashed') 'the Pester run did not end within 30 minutes'
    }
    elseif (-not (Test-Path (Join-Path $results 'Pester.xml'))) {
        Set-Content (Join-Path $results 'Pester.crashed') "the Pester run exited with $($process.ExitCode) without results"
    }
    Start-Sleep -Milliseconds 500
    $after = @(Get-TestKitProcess)
    $left = @(Get-TestKitProcess -RunId $runId)
    Write-Host "   TestKit processes after the Pester run: $($after.Count) on this machine, $($left.Count) of them left behind by this run"
    if ($left.Count -gt 0) {
        Set-Content (Join-Path $results 'Pester.processes.crashed') ("the Pester run left {0} TestKit process(es) running: {1}" -f $left.Count, (($left | ForEach-Object { "$($_.Id) $($_.CommandLine)" }) -join '; '))
        $left | ForEach-Object { try { $_.Kill($true) } catch { } }
    }
    Remove-Item $userHome -Recurse -Force -ErrorAction SilentlyContinue
}

# "passed failed skipped" of every results file: trx (xunit), NUnit XML (Pester), and *.crashed markers (a suite that
# produced no results, or left processes behind, counts as one failure).
function Write-TestSummary {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx -ErrorAction SilentlyContinue) {
        $c = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $ok = [int]$c.passed
        $bad = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        $rest = [int]$c.total - $ok - $bad
        Write-Host ("   {0}: {1} passed, {2} failed, {3} skipped" -f $trx.BaseName, $ok, $bad, $rest)
        $passed += $ok; $failed += $bad; $skipped += $rest
    }
    foreach ($xml in Get-ChildItem $results -Filter Pester*.xml -ErrorAction SilentlyContinue) {
        $r = ([xml](Get-Content $xml.FullName -Raw))['test-results']
        $bad = [int]$r.failures + [int]$r.errors + [int]$r.invalid
        $rest = [int]$r.'not-run' + [int]$r.skipped + [int]$r.ignored + [int]$r.inconclusive
        $ok = [int]$r.total - $bad - [int]$r.'not-run' - [int]$r.ignored - [int]$r.skipped - [int]$r.inconclusive - [int]$r.invalid
        Write-Host ("   {0}: {1} passed, {2} failed, {3} skipped" -f $xml.BaseName, $ok, $bad, $rest)
        $passed += $ok; $failed += $bad; $skipped += $rest
    }
    foreach ($crash in Get-ChildItem $results -Filter *.crashed -ErrorAction SilentlyContinue) {
        # One failure per line: a suite without results, a Pester file or block that failed outside any test, leftover processes.
        $lines = @(Get-Content $crash.FullName | Where-Object { $_ })
        $lines | ForEach-Object { Write-Host "   $($crash.BaseName): $_" }
        $failed += [Math]::Max(1, $lines.Count)
    }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    return $failed
}

# `dotnet format --verify-no-changes` against .editorconfig: each file it would change is one failure
# (Format.crashed), so CI is red until `dotnet format KafkaCatalog.sln` has been run and committed.
function Invoke-FormatCheck {
    $log = Join-Path $results 'format.log'
    & dotnet format (Join-Path $root 'KafkaCatalog.sln') --verify-no-changes --no-restore 2>&1 | Set-Content $log
    if ($LASTEXITCODE -ne 0) {
        $files = @(Get-Content $log | ForEach-Object { if ($_ -match '^(.+?)\(\d+,\d+\): (error|warning) (\w+)') { "{0}: {1}" -f [IO.Path]::GetRelativePath($root, $Matches[1]), $Matches[4] } } | Sort-Object -Unique)
        if ($files.Count -eq 0) { $files = @("dotnet format exited with $LASTEXITCODE (see $log)") }
        Set-Content (Join-Path $results 'Format.crashed') ($files | ForEach-Object { "would reformat $_" })
        Write-Host "   dotnet format: $($files.Count) file(s) not formatted; run: dotnet format KafkaCatalog.sln"
    }
    else {
        Write-Host '   dotnet format: clean'
    }
}

function Reset-Results {
    Remove-Item $results -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $results | Out-Null
}

function Invoke-Test {
    $start = Get-Date
    Reset-Results
    Invoke-Tools | Out-Host
    Invoke-Build | Out-Host
    Write-Host ("build: {0:N0} s" -f ((Get-Date) - $start).TotalSeconds)
    if (-not $TestProject) { Invoke-FormatCheck | Out-Host }
    Invoke-Package | Out-Host
    Invoke-XunitSuites | Out-Host
    if (-not $NoRealClusterPass -and -not $TestProject) { Invoke-RealClusterPass | Out-Host }
    Invoke-PesterSuites | Out-Host
    Write-Host ("total time: {0:N0} s" -f ((Get-Date) - $start).TotalSeconds)
    Write-TestSummary
}

function Invoke-Pester5 {
    Reset-Results
    Invoke-Package | Out-Host
    Invoke-PesterSuites | Out-Host
    Write-TestSummary
}

function Invoke-Docs {
    Invoke-Native dotnet @('run', '--project', "$root/tests/KafkaCatalog.Module.Tests.HelpGenerator", '--', $root)
}

<#
  The sandbox as a user meets it (tests/sandbox.sh): the package installed with Install-PSResource (as a fresh
  user, into a folder of its own that is put first on PSModulePath, so nothing is registered or installed in your
  home), the 3-broker cluster with sample data, ACLs, and the Atlan and Polaris emulators. Prints the settings and
  the lines that connect a pwsh to all three. Interactive (a terminal): opens pwsh with the module imported by name
  and connected; `exit` stops the sandbox. Otherwise: passes each line of standard input to the sandbox (its chaos
  commands, e.g. stop-broker 2) and prints the answer; the end of input stops it. The sandbox runs in a session of
  its own (Ctrl+C at the prompt reaches pwsh, not the cluster) and stops when this script ends in any way.
#>
function Invoke-Demo {
    Invoke-Build
    Invoke-Package
    $version = Get-ModuleVersion
    $demoRoot = Join-Path ([IO.Path]::GetTempPath()) "kafkacatalog-sandbox-$PID"
    $modules = Join-Path $demoRoot 'Modules'
    New-Item -ItemType Directory -Force (Join-Path $demoRoot 'repository'), (Join-Path $demoRoot 'home') | Out-Null
    Copy-Item (Join-Path $root "out/KafkaCatalog.$version.nupkg") (Join-Path $demoRoot 'repository')
    $pwsh = Get-PwshCommand
    $env:HOME, $savedHome = (Join-Path $demoRoot 'home'), $env:HOME
    try {
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/tools/Install-KafkaCatalogPackage.ps1') -Repository (Join-Path $demoRoot 'repository') -ModuleVersion $version | Out-Null
        if ($LASTEXITCODE) { throw 'Install-PSResource failed.' }
    }
    finally { $env:HOME = $savedHome }
    Move-Item (Join-Path $demoRoot $(if ($IsWindows) { 'home/Documents/PowerShell/Modules' } else { 'home/.local/share/powershell/Modules' })) $modules

    $interactive = -not [Console]::IsInputRedirected -and -not [Console]::IsOutputRedirected
    $sandbox = Start-Sandbox -ServeArguments (@('--atlan', '--polaris', '--acls') + @($ServeArgument | Where-Object { $_ })) -OwnSession
    try {
        $s = $sandbox.Settings()
        $connect = @(
            "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module KafkaCatalog"
            "Connect-KafkaCluster -BootstrapServer '$($s['bootstrap.servers'])' -Name sandbox"
            "`$catalog = Connect-Catalog -BaseUri '$($s['atlan.base_url'])' -ApiToken (ConvertTo-SecureString '$($s['atlan.api_token'])' -AsPlainText -Force)"
            "`$polaris = Connect-Polaris -BaseUri '$($s['polaris.base_url'])' -ApiKey (ConvertTo-SecureString '$($s['polaris.api_key'])' -AsPlainText -Force)"
        )
        $sandbox.Lines | Where-Object { $_ -notmatch '^Ready\.' } | ForEach-Object { Write-Host $_ }
        Write-Host "KafkaCatalog $version sandbox is ready. To use it from any pwsh, paste:"
        $connect | ForEach-Object { Write-Host "  $_" }
        if ($interactive) {
            $init = (($connect | ForEach-Object { "$_ | Out-Null" }) -join '; ') + '; ' +
            "Write-Host 'Imported KafkaCatalog $version (installed from its package) and connected: Kafka (default connection), Atlan (`$catalog), Polaris (`$polaris).'; " +
            "Write-Host 'Try: Get-KafkaTopic; Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset; Get-Help about_KafkaCatalog. Type exit to stop the sandbox.'"
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoExit -NoProfile -Command $init
        }
        else {
            Write-Host 'Standard input is not a terminal: each line of it goes to the sandbox; the end of input stops it.'
            Write-Host 'To keep it running: sleep infinity | bash tests/sandbox.sh &'
            while ($null -ne ($line = [Console]::In.ReadLine())) {
                if ($line.Trim()) { Write-Host $sandbox.Send($line.Trim(), [timespan]::FromSeconds(60)) }
            }
        }
    }
    finally {
        Stop-Sandbox $sandbox
        Remove-Item $demoRoot -Recurse -Force -ErrorAction SilentlyContinue
        Write-Host 'Sandbox stopped.'
    }
}

# Test and Pester end with the summary line as the last line of output, and the exit code says whether anything failed.
$failures = 0
foreach ($t in $Task) {
    Write-Host "== $t" -ForegroundColor Cyan
    switch ($t) {
        'Tools' { Invoke-Tools }
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Format' { Reset-Results; Invoke-FormatCheck | Out-Host; $failures += Write-TestSummary }
        'Test' { $failures += Invoke-Test }
        'Pester' { $failures += Invoke-Pester5 }
        'Docs' { Invoke-Docs }
        'Demo' { Invoke-Demo }
    }
}
exit ([int]($failures -gt 0))
