#Requires -Version 7.4
<#
.SYNOPSIS
    Installs KafkaCatalog the way a user does: registers -Repository (a folder holding the module's nupkg) as a
    trusted PSResourceGet repository and runs Install-PSResource -Scope CurrentUser. Returns the installed module.
.DESCRIPTION
    build.ps1 runs this in a pwsh whose HOME is a throw-away folder (a fresh user), for the Pester run
    (tests/Pester/Invoke-InstalledPester.ps1) and the sandbox (Demo task), so nothing is registered or installed
    in the real home.
#>
param(
    [Parameter(Mandatory)] [string] $Repository,
    [Parameter(Mandatory)] [string] $ModuleVersion
)
$ErrorActionPreference = 'Stop'
if (Get-Module -ListAvailable KafkaCatalog) {
    throw "A KafkaCatalog module is already visible before the install ($((Get-Module -ListAvailable KafkaCatalog).ModuleBase -join ', '))."
}
Register-PSResourceRepository -Name KafkaCatalogPackage -Uri $Repository -Trusted
Install-PSResource -Name KafkaCatalog -Version $ModuleVersion -Repository KafkaCatalogPackage -Scope CurrentUser -TrustRepository -Quiet
$installed = @(Get-Module -ListAvailable KafkaCatalog)
if ($installed.Count -ne 1 -or $installed[0].Version -ne [version]$ModuleVersion) {
    throw "Install-PSResource did not install KafkaCatalog $ModuleVersion (found: $($installed | ForEach-Object { "$($_.Version) at $($_.ModuleBase)" }))."
}
$installed[0]
