#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suites against KafkaCatalog installed from a PSResourceGet repository.
.DESCRIPTION
    Started by build.ps1 (Pester and Test tasks) in a fresh pwsh whose HOME is a throw-away folder, so
    the install is a new user's install and leaves nothing in the real home. Registers -Repository (a
    folder holding the module's nupkg), installs KafkaCatalog from it with Install-PSResource
    -Scope CurrentUser, then runs Invoke-Pester with Pester 5.9.1 from -ToolModulePath. The suites import
    the module by name (TestHelpers.psm1 Import-KafkaCatalogUnderTest) and check they got this install.
#>
param(
    [Parameter(Mandatory)] [string] $Repository,
    [Parameter(Mandatory)] [string] $ModuleVersion,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $ToolModulePath,
    [Parameter(Mandatory)] [string] $TestKitPath,
    [Parameter(Mandatory)] [string[]] $Path,
    # The other suites: build.ps1 -PesterPath a, b passes "-Path a b" through pwsh -File.
    [Parameter(ValueFromRemainingArguments)] [string[]] $MorePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$installed = @(& (Join-Path $PSScriptRoot '../tools/Install-KafkaCatalogPackage.ps1') -Repository $Repository -ModuleVersion $ModuleVersion)
Write-Host "KafkaCatalog $ModuleVersion installed at $($installed[0].ModuleBase)"

$env:KAFKACATALOG_EXPECTED_MODULE_BASE = $installed[0].ModuleBase
$env:KAFKACATALOG_EXPECTED_MODULE_VERSION = $ModuleVersion
$env:KAFKACATALOG_TESTKIT_PATH = $TestKitPath
# The folder repository the package came from (README's install-from-a-folder example runs against it).
$env:KAFKACATALOG_PACKAGE_REPOSITORY = $Repository
$env:PSModulePath = $ToolModulePath + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module Pester -RequiredVersion 5.9.1

$config = New-PesterConfiguration
$config.Run.Path = @($Path) + @($MorePath | Where-Object { $_ })
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
# The NUnit XML has no place for a file that failed discovery or a BeforeAll/AfterAll that failed: list those in a
# results file of their own, which build.ps1's summary counts as failures.
$broken = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.FailedCount -eq 0 } | ForEach-Object { "container $($_.Item): $($_.ErrorRecord -join '; ')" }) +
    @($result.FailedBlocks | ForEach-Object { "block $($_.ExpandedPath): $($_.ErrorRecord -join '; ')" })
if ($broken.Count -gt 0) {
    Set-Content -Path ([IO.Path]::ChangeExtension($ResultPath, '.blocks.crashed')) -Value ($broken -join [Environment]::NewLine)
}
exit ([int]($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0))
