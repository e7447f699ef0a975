# Shared by the Pester suites: imports the installed module and starts the TestKit sandbox (embedded
# Kafka cluster, and the Atlan and Polaris emulators when asked) as a child process.
# build.ps1 -Task Pester (tests/Pester/Invoke-InstalledPester.ps1) installs the package and sets the
# KAFKACATALOG_EXPECTED_MODULE_* and KAFKACATALOG_TESTKIT_PATH variables these helpers read.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not ('KafkaCatalogTestTools.SandboxProcess' -as [type])) {
    Add-Type -Path (Join-Path $script:RepoRoot 'tests/tools/SandboxProcess.cs')
}

function Import-KafkaCatalogUnderTest {
    # By name, as a user would, into the global scope (a module imported from inside this helper
    # module would otherwise land in this module's scope only).
    $module = Import-Module KafkaCatalog -Global -Force -PassThru -ErrorAction Stop
    $expected = $env:KAFKACATALOG_EXPECTED_MODULE_BASE
    if ($expected -and $module.ModuleBase -ne $expected) {
        throw "Imported KafkaCatalog from $($module.ModuleBase), not from the installed package at $expected."
    }
    if (-not $expected) {
        Write-Warning "KAFKACATALOG_EXPECTED_MODULE_BASE is not set: testing KafkaCatalog from $($module.ModuleBase). Run ./build.ps1 -Task Pester to test the installed package."
    }
    $module
}

function Get-TestKitPath {
    if ($env:KAFKACATALOG_TESTKIT_PATH) { return $env:KAFKACATALOG_TESTKIT_PATH }
    Join-Path $script:RepoRoot 'tests/KafkaCatalog.TestKit/bin/Debug/net10.0/KafkaCatalog.TestKit.dll'
}

function Start-TestSandbox {
    <#
    .SYNOPSIS
        Starts `dotnet KafkaCatalog.TestKit.dll serve` with its standard input held by this pwsh: closing
        it (Stop-TestSandbox) stops the sandbox, and so does this pwsh ending in any way, so no sandbox
        outlives the test run.
    #>
    [CmdletBinding()]
    param(
        [switch] $Atlan,
        [switch] $Polaris,
        [switch] $NoSeed,
        [switch] $Acls,
        [string[]] $ExtraArgument,
        [int] $TimeoutSec = 60
    )
    $arguments = @((Get-TestKitPath), 'serve')
    if ($Atlan) { $arguments += '--atlan' }
    if ($Polaris) { $arguments += '--polaris' }
    if ($NoSeed) { $arguments += '--no-seed' }
    if ($Acls) { $arguments += '--acls' }
    if ($ExtraArgument) { $arguments += $ExtraArgument }
    $process = [KafkaCatalogTestTools.SandboxProcess]::Start('dotnet', [string[]]$arguments)
    $ready = $process.WaitForLine('^Ready\.', 0, [timespan]::FromSeconds($TimeoutSec))
    $values = $process.Settings()
    $sandbox = [pscustomobject]@{
        Process          = $process
        BootstrapServers = $values['bootstrap.servers']
        AtlanBaseUri     = $values['atlan.base_url']
        AtlanApiToken    = if ($values['atlan.api_token']) { ConvertTo-SecureString $values['atlan.api_token'] -AsPlainText -Force }
        PolarisBaseUri   = $values['polaris.base_url']
        PolarisApiKey    = if ($values['polaris.api_key']) { ConvertTo-SecureString $values['polaris.api_key'] -AsPlainText -Force }
        Settings         = $values
    }
    if (-not $ready) {
        Stop-TestSandbox $sandbox
        throw "The TestKit sandbox did not start within $TimeoutSec s: $($process.Lines -join "`n")"
    }
    $sandbox
}

function Send-TestSandboxCommand {
    # One line on the sandbox's standard input (its chaos commands); returns its "ok ..." / "error ..." answer.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Command, [int] $TimeoutSec = 30)
    $Sandbox.Process.Send($Command, [timespan]::FromSeconds($TimeoutSec))
}

function Stop-TestSandbox {
    param([Parameter(Mandatory)] $Sandbox)
    if ($Sandbox.Process) { $Sandbox.Process.Dispose() }
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script in a fresh pwsh (the same executable as this one, same environment: HOME and
        PSModulePath of the installed module) and returns its output lines; throws with its output when it fails.
    #>
    param([Parameter(Mandatory)] [string] $Script, [int] $TimeoutSec = 120)
    $command = @([Environment]::ProcessPath)
    if ((Split-Path $command[0] -Leaf) -match '^dotnet(\.exe)?$') { $command += Join-Path $PSHOME 'pwsh.dll' }
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $process = [KafkaCatalogTestTools.SandboxProcess]::Start($command[0], [string[]](@($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)))
    try {
        if (-not $process.Process.WaitForExit($TimeoutSec * 1000)) { throw "The child pwsh did not end within $TimeoutSec s: $($process.Lines -join "`n")" }
        $process.Process.WaitForExit()
        if ($process.Process.ExitCode -ne 0) { throw "The child pwsh exited with $($process.Process.ExitCode): $($process.Lines -join "`n")" }
        $process.Lines
    }
    finally { $process.Dispose() }
}

function New-TestTopicName {
    param([string] $Prefix = 'pester')
    '{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8)
}

Export-ModuleMember -Function Import-KafkaCatalogUnderTest, Invoke-ChildPwsh, Start-TestSandbox, Stop-TestSandbox, Send-TestSandboxCommand, New-TestTopicName, Get-TestKitPath
