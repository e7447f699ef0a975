# Shared by the Pester suites: starts the TestKit sandbox (embedded Kafka cluster, and the Atlan
# and Polaris emulators when asked) as a child process and reads its endpoints from its output.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Import-KafkaCatalogUnderTest {
    $manifest = $env:KAFKACATALOG_MODULE_PATH
    if (-not $manifest) {
        $manifest = Join-Path $script:RepoRoot 'src/KafkaCatalog.PowerShell/bin/Debug/net8.0/KafkaCatalog.psd1'
    }
    Import-Module $manifest -Force -ErrorAction Stop
}

function Start-TestSandbox {
    [CmdletBinding()]
    param(
        [switch] $Atlan,
        [switch] $Polaris,
        [switch] $NoSeed,
        [int] $TimeoutSec = 120
    )
    $log = New-TemporaryFile
    $arguments = @('run', '--no-build', '--project', (Join-Path $script:RepoRoot 'tests/KafkaCatalog.TestKit'), '--', 'serve', '--ignore-stdin')
    if ($Atlan) { $arguments += '--atlan' }
    if ($Polaris) { $arguments += '--polaris' }
    if ($NoSeed) { $arguments += '--no-seed' }
    $process = Start-Process dotnet -ArgumentList $arguments -RedirectStandardOutput $log.FullName -PassThru -NoNewWindow
    $deadline = (Get-Date).AddSeconds($TimeoutSec)
    $values = @{}
    while ((Get-Date) -lt $deadline -and -not $process.HasExited) {
        $values = @{}
        foreach ($line in (Get-Content $log.FullName -ErrorAction SilentlyContinue)) {
            if ($line -match '^([a-z_.]+)=(.+)$') { $values[$Matches[1]] = $Matches[2] }
        }
        if ((Get-Content $log.FullName -Raw -ErrorAction SilentlyContinue) -match 'Ready\.') { break }
        Start-Sleep -Milliseconds 200
    }
    if (-not $values['bootstrap.servers']) {
        Stop-Process $process -ErrorAction SilentlyContinue
        throw "The TestKit sandbox did not start within $TimeoutSec s: $(Get-Content $log.FullName -Raw)"
    }
    [pscustomobject]@{
        Process          = $process
        Log              = $log.FullName
        BootstrapServers = $values['bootstrap.servers']
        AtlanBaseUri     = $values['atlan.base_url']
        AtlanApiToken    = if ($values['atlan.api_token']) { ConvertTo-SecureString $values['atlan.api_token'] -AsPlainText -Force }
        PolarisBaseUri   = $values['polaris.base_url']
        PolarisApiKey    = if ($values['polaris.api_key']) { ConvertTo-SecureString $values['polaris.api_key'] -AsPlainText -Force }
    }
}

function Stop-TestSandbox {
    param([Parameter(Mandatory)] $Sandbox)
    if ($Sandbox.Process -and -not $Sandbox.Process.HasExited) {
        Stop-Process -Id $Sandbox.Process.Id -ErrorAction SilentlyContinue
        $Sandbox.Process.WaitForExit(10000) | Out-Null
    }
    Remove-Item $Sandbox.Log -ErrorAction SilentlyContinue
}

function New-TestTopicName {
    param([string] $Prefix = 'pester')
    '{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8)
}

Export-ModuleMember -Function Import-KafkaCatalogUnderTest, Start-TestSandbox, Stop-TestSandbox, New-TestTopicName
