#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates the KafkaCatalog module.
.DESCRIPTION
    Tasks:
      Build    dotnet build of the solution (the native librdkafka is built/cached first on Linux).
      Test     xunit suites (unit, integration, contract, conformance), then Pester if installed.
      Pester   only the Pester 5 suites in tests/Pester (against the TestKit sandbox they start).
      Docs     regenerates module/en-US/KafkaCatalog.PowerShell.dll-Help.xml from docs/*.md.
      Package  out/KafkaCatalog/ (PSGallery-ready module folder, dependencies isolated in their
               own AssemblyLoadContext under dependencies/) and out/KafkaCatalog.<version>.nupkg.
      Demo     starts the TestKit sandbox cluster and imports the built module connected to it.
.EXAMPLE
    ./build.ps1 -Task Build, Test
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Docs', 'Package', 'Demo')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # Use the librdkafka.redist package (Windows/macOS workstations, or any machine whose NuGet
    # source serves it) instead of the locally built native library.
    [switch] $UseLibrdkafkaRedist
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$msbuildArgs = @("-c", $Configuration, "-nologo")
if ($UseLibrdkafkaRedist) { $msbuildArgs += '-p:UseLibrdkafkaRedist=true' }

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Prerequisites {
    if ($IsLinux -and -not $UseLibrdkafkaRedist) {
        Invoke-Native bash @("$root/.ci/prerequisites.sh")
    }
}

function Invoke-Build {
    Invoke-Prerequisites
    Invoke-Native dotnet (@('build', "$root/KafkaCatalog.sln") + $msbuildArgs)
}

function Invoke-Pester5 {
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0): Pester suites skipped.'
        return
    }
    Import-Module $pester -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $root 'out/test-results/pester.xml'
    $env:KAFKACATALOG_MODULE_PATH = Join-Path $root "src/KafkaCatalog.PowerShell/bin/$Configuration/net8.0/KafkaCatalog.psd1"
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
}

function Invoke-Test {
    Invoke-Build
    $projects = & dotnet sln "$root/KafkaCatalog.sln" list | Where-Object { $_ -match '^tests/.*\.csproj$' -and $_ -notmatch 'Benchmarks|BrokenSample|TestKit/' }
    foreach ($project in $projects) {
        if ((Get-Content (Join-Path $root $project) -Raw) -notmatch '<IsTestProject>true</IsTestProject>') { continue }
        Invoke-Native dotnet (@('test', (Join-Path $root $project), '--no-build') + $msbuildArgs)
    }
    Invoke-Pester5
}

function Invoke-Docs {
    Invoke-Native dotnet @('run', '--project', "$root/tests/KafkaCatalog.Module.Tests.HelpGenerator", '--', $root)
}

function Invoke-Package {
    Invoke-Prerequisites
    # The same MSBuild target CI runs and the package-layout test verifies.
    Invoke-Native dotnet (@('build', "$root/src/KafkaCatalog.PowerShell/KafkaCatalog.PowerShell.csproj", '-t:PackageModule') + $msbuildArgs)
    Write-Host "Module folder: $(Join-Path $root 'out/KafkaCatalog')"
}

function Invoke-Demo {
    Invoke-Build
    $log = Join-Path ([IO.Path]::GetTempPath()) 'kafkacatalog-sandbox.log'
    $sandbox = Start-Process dotnet -ArgumentList @('run', '--no-build', '-c', $Configuration, '--project', "$root/tests/KafkaCatalog.TestKit", '--', 'serve', '--ignore-stdin') -RedirectStandardOutput $log -PassThru
    $deadline = (Get-Date).AddSeconds(60)
    $bootstrap = $null
    while (-not $bootstrap -and (Get-Date) -lt $deadline -and -not $sandbox.HasExited) {
        Start-Sleep -Milliseconds 250
        $bootstrap = Select-String -Path $log -Pattern '^bootstrap.servers=(.+)$' -ErrorAction SilentlyContinue |
            Select-Object -First 1 | ForEach-Object { $_.Matches[0].Groups[1].Value }
    }
    if (-not $bootstrap) { Stop-Process $sandbox -ErrorAction SilentlyContinue; throw "The sandbox did not start; see $log." }
    $module = Join-Path $root "src/KafkaCatalog.PowerShell/bin/$Configuration/net8.0/KafkaCatalog.psd1"
    $init = "Import-Module '$module'; Connect-KafkaCluster -BootstrapServer '$bootstrap' -Name sandbox | Out-Null; " +
            "Write-Host 'Connected to the sandbox at $bootstrap. Try: Get-KafkaTopic; Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset'"
    try {
        pwsh -NoExit -NoProfile -Command $init
    }
    finally {
        Stop-Process $sandbox -ErrorAction SilentlyContinue
    }
}

foreach ($t in $Task) {
    Write-Host "== $t" -ForegroundColor Cyan
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Pester' { Invoke-Pester5 }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
    }
}
