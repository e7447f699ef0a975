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
    [Parameter(Mandatory)] [string[]] $Path
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if (Get-Module -ListAvailable KafkaCatalog) {
    throw "A KafkaCatalog module is already visible before the install ($((Get-Module -ListAvailable KafkaCatalog).ModuleBase -join ', ')); the suites must test the installed package only."
}
Register-PSResourceRepository -Name KafkaCatalogUnderTest -Uri $Repository -Trusted
Install-PSResource -Name KafkaCatalog -Version $ModuleVersion -Repository KafkaCatalogUnderTest -Scope CurrentUser -TrustRepository -Quiet
$installed = @(Get-Module -ListAvailable KafkaCatalog)
if ($installed.Count -ne 1 -or $installed[0].Version -ne [version]$ModuleVersion) {
    throw "Install-PSResource did not install KafkaCatalog $ModuleVersion (found: $($installed | ForEach-Object { "$($_.Version) at $($_.ModuleBase)" }))."
}
Write-Host "KafkaCatalog $ModuleVersion installed at $($installed[0].ModuleBase)"

$env:KAFKACATALOG_EXPECTED_MODULE_BASE = $installed[0].ModuleBase
$env:KAFKACATALOG_EXPECTED_MODULE_VERSION = $ModuleVersion
$env:KAFKACATALOG_TESTKIT_PATH = $TestKitPath
$env:PSModulePath = $ToolModulePath + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module Pester -RequiredVersion 5.9.1

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
exit ([int]($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0))
