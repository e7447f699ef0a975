# The installed package as a module: it imports by name in a fresh pwsh, its manifest passes
# Test-ModuleManifest, every cmdlet and about_KafkaCatalog has help, its dependencies stay in their own
# load context next to another module's older copies, and nothing PowerShell itself owns is shipped.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:module = Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -NoSeed
    $script:manifest = Join-Path $script:module.ModuleBase 'KafkaCatalog.psd1'
    $script:profile = Join-Path $TestDrive 'io_config.yaml'
    # A Mage io_config.yaml: reading it goes through the module's YamlDotNet.
    Set-Content -Path $script:profile -Value @"
connector_type: kafka
bootstrap_server: "$($script:sandbox.BootstrapServers)"
topic: orders
"@
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'The installed package' {
    It 'imports by name in a fresh pwsh with every cmdlet of its manifest and Core in its own load context' {
        $lines = Invoke-ChildPwsh @'
$m = Import-Module KafkaCatalog -PassThru -ErrorAction Stop
"base=$($m.ModuleBase)"
"cmdlets=$((Get-Command -Module KafkaCatalog -CommandType Cmdlet).Count)"
$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KafkaCatalog.Core' }
"core=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core).Name)|$($core.Location)"
'@
        $data = Import-PowerShellDataFile $script:manifest
        $lines | Should -Contain "base=$($script:module.ModuleBase)"
        $lines | Should -Contain "cmdlets=$($data.CmdletsToExport.Count)"
        $lines | Should -Contain "core=KafkaCatalog|$(Join-Path $script:module.ModuleBase 'dependencies/KafkaCatalog.Core.dll')"
    }

    It 'passes Test-ModuleManifest and exports exactly the cmdlets its manifest lists' {
        $info = Test-ModuleManifest -Path $script:manifest -ErrorAction Stop
        $info.Version | Should -Be ([version]$env:KAFKACATALOG_EXPECTED_MODULE_VERSION)
        $data = Import-PowerShellDataFile $script:manifest
        @($info.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        @((Get-Command -Module KafkaCatalog -CommandType Cmdlet).Name | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
    }

    It 'ships neither PowerShell''s own assembly nor reference assemblies' {
        @(Get-ChildItem $script:module.ModuleBase -Recurse -Filter 'System.Management.Automation.dll').Count | Should -Be 0
        @(Get-ChildItem $script:module.ModuleBase -Recurse -Directory | Where-Object Name -in 'ref', 'refint').Count | Should -Be 0
        @(Get-ChildItem $script:module.ModuleBase -Filter *.dll).Name | Sort-Object | Should -Be @('KafkaCatalog.Loader.dll', 'KafkaCatalog.PowerShell.dll')
    }

    It 'loads librdkafka from its own dependencies folder' {
        $connection = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-module
        $loader = $connection.GetType().Assembly.GetType('KafkaCatalog.Core.Kafka.NativeLibraryLoader')
        $loaded = $loader.GetProperty('LoadedPath').GetValue($null)
        $loaded | Should -BeLike (Join-Path $script:module.ModuleBase 'dependencies/runtimes/*')
        $loader.GetProperty('LoadedVersion').GetValue($null) | Should -Be $loader.GetProperty('ExpectedVersion').GetValue($null)
        Disconnect-KafkaCluster -Name pester-module
    }
}

Describe 'Help from the installed package' {
    It 'has a synopsis, a description, examples and parameter help for <_>' -ForEach @((Import-PowerShellDataFile (Join-Path (Get-Module -ListAvailable KafkaCatalog).ModuleBase 'KafkaCatalog.psd1')).CmdletsToExport) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help PowerShell shows the syntax as the synopsis.
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$_ ["))
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $command = Get-Command $_
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common -and -not $command.Parameters[$_].Attributes.Where({ $_ -is [Parameter] -and $_.DontShow }) }) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object Name -eq $name
            ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name of $_ needs help text"
        }
    }

    It 'has about_KafkaCatalog' {
        $about = Get-Help about_KafkaCatalog
        ($about | Out-String) | Should -Match 'Connect-KafkaCluster'
        (Get-Help about_* | Where-Object Name -eq 'about_KafkaCatalog') | Should -Not -BeNullOrEmpty
    }
}

Describe 'Dependency isolation' {
    It 'works after another module loaded older YamlDotNet and Polly.Core into the default context (<_>)' -ForEach 'other module first', 'KafkaCatalog first' {
        $order = if ($_ -eq 'other module first') { 'Import-Module ClashingDependencies; Import-Module KafkaCatalog' } else { 'Import-Module KafkaCatalog; Import-Module ClashingDependencies' }
        $lines = Invoke-ChildPwsh (@'
$ErrorActionPreference = 'Stop'
{0}
# KafkaCatalog reads the Mage YAML profile with its YamlDotNet and connects (Polly retries around the call).
$c = Connect-KafkaCluster -ProfilePath '{1}' -Name isolated
"connected=$($c.BootstrapServers)"
foreach ($d in Get-ClashingDependency) {{ "other=$($d.Name)|$($d.Version.Major)|$($d.LoadContext)|$($d.Works)" }}
foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ $_.GetName().Name -in 'YamlDotNet', 'Polly.Core' }}) {{
    "loaded=$($a.GetName().Name)|$($a.GetName().Version.Major)|$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name)"
}}
'@ -f $order, $script:profile)
        $lines | Should -Contain "connected=$($script:sandbox.BootstrapServers)"
        $lines | Should -Contain 'other=YamlDotNet|13|Default|True'
        $lines | Should -Contain 'other=Polly.Core|8|Default|True'
        $lines | Should -Contain 'loaded=YamlDotNet|13|Default'
        $lines | Should -Contain 'loaded=YamlDotNet|16|KafkaCatalog'
        $lines | Should -Contain 'loaded=Polly.Core|8|KafkaCatalog'
    }
}
