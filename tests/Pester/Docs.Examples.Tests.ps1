# The README tour and the docs are the contract: every fenced ```powershell block of README.md,
# docs/*.md and docs/about_*.md (and the inline script of the Azure DevOps sample in about_'s
# ```yaml block) runs here in the real engine against the installed package and the sandbox
# (Kafka with ACLs, the Atlan and Polaris emulators), in document order, in one session, as a user
# following the pages would. A block passes when it ends without any error record.
#
# What the harness gives the blocks, and nothing more:
# - Placeholders of the pages are mapped to the sandbox ($Placeholders below): host names such as
#   broker1:9092, https://tenant.atlan.com and the Polaris project URL, the example connection
#   qualifiedName default/kafka/1718000000, and what a user would type at Read-Host.
# - Variables a page assumes from earlier steps: $kafka, $catalog, $conn, $prodUri/$prodKey,
#   $testUri/$testKey; the environment a runbook has (KAFKA_BOOTSTRAP_SERVERS, ATLAN_BASE_URL,
#   ATLAN_API_KEY, POLARIS_API_KEY); files the pages read (topics.csv, acls.csv, groups.csv, io_config.yaml).
# - Before each block: a Kafka, catalog and Polaris session default (blocks disconnect, reconnect
#   elsewhere or create connections). $ConfirmPreference is 'None', as in a runbook: a page that
#   omits -Force would only add a question a user answers at the prompt.
# - $Setup: objects a block names that the sandbox does not seed (a topic to remove, a group).
# Blocks that cannot run here are in $NotRunnable, each with its reason; the suite fails when an
# entry no longer matches a block, so the list stays exact.
# Blocks that show error handling are in $ExpectedErrors with the error ids they must leave in $Error
# (each with its ErrorDetails.RecommendedAction); they pass when exactly those errors were written.

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $files = @(Join-Path $root 'README.md') + @(Get-ChildItem (Join-Path $root 'docs') -Filter '*.md' | Sort-Object Name | ForEach-Object FullName)
    $script:Blocks = foreach ($file in $files) {
        $text = (Get-Content -Raw $file) -replace "`r`n", "`n"
        $name = [IO.Path]::GetRelativePath($root, $file) -replace '\\', '/'
        $n = 0
        foreach ($m in [regex]::Matches($text, '(?ms)^```(powershell|yaml)\n(.*?)^```')) {
            $code = $m.Groups[2].Value
            if ($m.Groups[1].Value -eq 'yaml') {
                # The inline script of a PowerShell@2 task: the lines indented under "script: |".
                $script = [regex]::Match($code, '(?ms)^(\s*)script: \|\n(.*)$')
                if (-not $script.Success) { continue }
                $lines = $script.Groups[2].Value -split "`n" | Where-Object { $_.Trim() }
                $indent = ($lines | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
                $code = ($lines | ForEach-Object { $_.Substring($indent) }) -join "`n"
            }
            $n++
            $first = ($code -split "`n" | Where-Object { $_.Trim() -and -not $_.Trim().StartsWith('#') } | Select-Object -First 1).Trim()
            @{ Id = "$name#$n"; File = $name; Code = $code; First = $first }
        }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -Atlan -Polaris -Acls
    $bootstrap = $script:sandbox.BootstrapServers
    $atlanUri = $script:sandbox.AtlanBaseUri.TrimEnd('/')
    $polarisProject = $script:sandbox.PolarisBaseUri.TrimEnd('/')
    $polarisBase = ($polarisProject -replace '/v1/projects/.*$', '')
    $polarisProjectId = $script:sandbox.Settings['polaris.project_id']
    $script:AtlanToken = $script:sandbox.AtlanApiToken
    $script:PolarisKey = $script:sandbox.PolarisApiKey
    $script:ScramPassword = ConvertTo-SecureString 'docs-Scram-Secret-1' -AsPlainText -Force

    # Placeholder of the pages -> the sandbox. Applied to every block as plain text.
    $script:Placeholders = [ordered]@{
        'broker1:9092,broker2:9092' = $bootstrap
        'kafka1:9092,kafka2:9092' = $bootstrap
        'kafka1:9092' = $bootstrap
        'localhost:9092' = $bootstrap
        "'kafka-new-1:9093'" = "'$bootstrap'"
        'https://tenant.atlan.com' = $atlanUri
        'https://acme.atlan.com' = $atlanUri
        "'https://example.us-east-1.aws.api.imply.io/v1/projects/12375ffx-f7c8-4f0f-b2a4-a9e9a8d4a1b2'" = "'$polarisProject'"
        "'https://example.us-east-1.aws.api.imply.io'" = "'$polarisBase'"
        "'12375ffx-f7c8-4f0f-b2a4-a9e9a8d4a1b2'" = "'$polarisProjectId'"
        "Read-Host -Prompt 'Atlan API token' -AsSecureString" = '$AtlanToken'
        "Read-Host -AsSecureString -Prompt 'Polaris API key'" = '$PolarisKey'
        "Read-Host -Prompt 'Password for alice' -AsSecureString" = '$ScramPassword'
        '(Read-Host -AsSecureString)' = '$AtlanToken'
        "'default/kafka/1718000000'" = '$conn.QualifiedName'
        '["b1:9092", "b2:9092"]' = (ConvertTo-Json -Compress @($bootstrap -split ','))
        # README's install from a folder: the folder build.ps1 installed this package from.
        '/path/to/folder/with/nupkg' = $env:KAFKACATALOG_PACKAGE_REPOSITORY
        # The page waits a minute for new messages; the same command with a short wait.
        'Receive-KafkaMessage orders -TimeoutSec 60' = 'Receive-KafkaMessage orders -TimeoutSec 3'
    }

    # Objects a block names that the sandbox does not seed, or that an earlier block already made:
    # each rule runs before every block whose code matches its pattern.
    $script:Setup = @(
        @{ When = 'KafkaUserScramCredential'; Do = {
            $script:password = $script:ScramPassword
            Set-KafkaUserScramCredential -Credential ([pscredential]::new('alice', $script:ScramPassword)) -Mechanism SCRAM-SHA-512 -Confirm:$false } }
        @{ When = 'Remove-KafkaTopic -Name orders-old'; Do = { New-KafkaTopic -Name orders-old -Partitions 1 -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ When = "Remove-KafkaTopic -Name 'scratch-\*'"; Do = { New-KafkaTopic -Name scratch-1 -Partitions 1 -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ When = 'Import-Csv topics\.csv \| New-KafkaTopic\s*(\n|$)'; Do = { Remove-KafkaTopic -Name invoices-eu, audit -Force -ErrorAction SilentlyContinue } }
        @{ When = 'New-KafkaTopic -Name invoices '; Do = { Remove-KafkaTopic -Name invoices -Force -ErrorAction SilentlyContinue } }
        @{ When = '-Topic legacy-orders'; Do = { New-KafkaTopic -Name legacy-orders -Partitions 6 -Confirm:$false -ErrorAction SilentlyContinue } }
        # A partition led by another replica than its preferred one, so the election pages show a real election.
        @{ When = 'Invoke-KafkaLeaderElection'; Do = { Send-TestSandboxCommand $script:sandbox 'move-leader orders 0' } }
        # The record-deletion pages delete from a topic of their own, with records to delete.
        @{ When = '-Topic audit-log|-Name audit-log'; Do = {
            if (-not (Get-KafkaTopic -Name audit-log -ErrorAction SilentlyContinue)) { New-KafkaTopic -Name audit-log -Partitions 2 -Confirm:$false | Out-Null }
            foreach ($i in 1..10) { Publish-KafkaMessage -Topic audit-log -Partition ($i % 2) -Value "event $i" | Out-Null } } }
        # The nightly drift job compares the repository's kafka/topics.yaml: here one that matches the cluster, so the job passes
        # (tests/Pester/Kafka.TopicState.Tests.ps1 runs the same script against drift and checks that it fails).
        @{ When = 'kafka/topics\.yaml'; Do = {
            $orders = Get-KafkaTopic -Name orders
            New-Item -ItemType Directory -Path kafka -Force | Out-Null
            "topics:`n  - name: orders`n    partitions: $($orders.PartitionCount)`n    replicationFactor: $($orders.ReplicationFactor)" | Set-Content kafka/topics.yaml } }
        @{ When = 'New-KafkaTopic clicks-v2'; Do = { Remove-KafkaTopic -Name clicks-v2 -Force -ErrorAction SilentlyContinue } }
        @{ When = 'New-PolarisKafkaConnection( -Name clicks)? \| Start-PolarisIngestionJob -TableName clicks'; Do = {
            Get-PolarisIngestionJob -TableName clicks | Stop-PolarisIngestionJob -Force
            Remove-PolarisKafkaConnection -Name clicks -Force -ErrorAction SilentlyContinue } }
        @{ When = 'Remove-PolarisKafkaConnection (-Name )?clicks|Test-PolarisConnection -Name clicks|-ConnectionName clicks |Set-PolarisKafkaConnection -Name clicks'; Do = {
            Get-PolarisIngestionJob -TableName clicks | Stop-PolarisIngestionJob -Force
            Get-PolarisIngestionJob -TableName clicks_meta | Stop-PolarisIngestionJob -Force
            if (-not (Get-PolarisKafkaConnection -Name clicks -ErrorAction SilentlyContinue)) { Get-KafkaTopic clicks | New-PolarisKafkaConnection -Name clicks | Out-Null } } }
        @{ When = 'Get-KafkaTopic orders \| New-PolarisKafkaConnection -KafkaConnection'; Do = {
            Get-PolarisIngestionJob -TableName orders | Stop-PolarisIngestionJob -Force
            Remove-PolarisKafkaConnection -Name orders -Force -ErrorAction SilentlyContinue } }
        @{ When = '-ConnectionName orders-kafka -TableName orders'; Do = {
            Get-PolarisIngestionJob -TableName orders | Stop-PolarisIngestionJob -Force
            if (-not (Get-PolarisKafkaConnection -Name orders-kafka -ErrorAction SilentlyContinue)) { Get-KafkaTopic orders | New-PolarisKafkaConnection -Name orders-kafka | Out-Null } } }
    )

    $script:Workspace = Join-Path ([IO.Path]::GetTempPath()) "kafkacatalog-docs-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $script:Workspace | Out-Null
    @(
        'Name,Partitions,ReplicationFactor,Config'
        'invoices-eu,6,3,retention.ms=604800000'
        'audit,1,3,cleanup.policy=compact'
    ) | Set-Content (Join-Path $script:Workspace 'topics.csv')
    @(
        'ResourceType,ResourceName,PatternType,Principal,Operation,Permission,Host'
        'Topic,orders,Literal,User:billing,Read,Allow,*'
        'Group,billing,Literal,User:billing,Read,Allow,*'
    ) | Set-Content (Join-Path $script:Workspace 'acls.csv')
    @('GroupId', 'billing', 'orders-processor') | Set-Content (Join-Path $script:Workspace 'groups.csv')
    @(
        'connector_type: kafka'
        "bootstrap_server: $bootstrap"
        'topic: orders'
        'consumer_group: docs-mage'
    ) | Set-Content (Join-Path $script:Workspace 'io_config.yaml')
    # Mage streaming source and sink configs, a kcat -F file and the lines a sink publishes.
    @(
        'connector_type: kafka'
        "bootstrap_server: $bootstrap"
        'topic: orders'
        'consumer_group: docs-mage-source'
        'auto_offset_reset: earliest'
    ) | Set-Content (Join-Path $script:Workspace 'kafka_source.yaml')
    @(
        'connector_type: kafka'
        "bootstrap_server: $bootstrap"
        'topic: orders-copy'
        'batch_size: 100'
        'timeout_ms: 500'
    ) | Set-Content (Join-Path $script:Workspace 'kafka_sink.yaml')
    @("bootstrap.servers=$bootstrap", 'security.protocol=PLAINTEXT') | Set-Content (Join-Path $script:Workspace 'kcat.conf')
    @('{"orderId":1,"amount":9.5}', '{"orderId":2,"amount":12}') | Set-Content (Join-Path $script:Workspace 'events.jsonl')
    Push-Location $script:Workspace

    $script:SavedEnv = @{}
    $environment = @{
        KAFKA_BOOTSTRAP_SERVERS = $bootstrap
        ATLAN_BASE_URL = $atlanUri
        ATLAN_API_KEY = [pscredential]::new('k', $script:AtlanToken).GetNetworkCredential().Password
        POLARIS_API_KEY = [pscredential]::new('k', $script:PolarisKey).GetNetworkCredential().Password
    }
    foreach ($name in @($environment.Keys) + 'POLARIS_BASE_URL', 'POLARIS_PROJECT_ID') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $environment[$name])
    }

    # Variables the pages assume from earlier steps.
    $script:kafka = Connect-KafkaCluster -BootstrapServer $bootstrap -Name sandbox
    $script:catalog = Connect-Catalog -BaseUri $atlanUri -ApiToken $script:AtlanToken -Name docs
    $script:conn = New-CatalogKafkaConnection -Name docs-kafka -AdminRole '$admin' -Confirm:$false
    $script:polaris = Connect-Polaris -BaseUri $polarisProject -ApiKey $script:PolarisKey -Name docs
    $script:prodUri = $polarisProject; $script:prodKey = $script:PolarisKey
    $script:testUri = $polarisProject; $script:testKey = $script:PolarisKey
    # A consumer group named as the pages name one, with committed offsets on orders.
    Reset-KafkaConsumerGroupOffset -GroupId billing -Topic orders -ToEarliest -Force | Out-Null
    New-KafkaTopic -Name orders-copy -Partitions 6 -Confirm:$false
    New-KafkaTopic -Name orders-replay -Partitions 6 -Confirm:$false
    New-KafkaTopic -Name default-topic -Partitions 1 -Confirm:$false

    function script:Reset-DocsContext {
        # The pages name the session's connections 'prod' (Connect-KafkaCluster -Name prod) and use
        # the default one; blocks disconnect them.
        if (-not (Get-KafkaConnection -Name prod -ErrorAction SilentlyContinue)) {
            Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name prod | Out-Null
        }
        if (-not (Get-KafkaConnection -Default -ErrorAction SilentlyContinue)) {
            $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name sandbox
        }
        $script:catalog = Connect-Catalog -BaseUri $script:sandbox.AtlanBaseUri -ApiToken $script:AtlanToken -Name docs -ConnectionQualifiedName $script:conn.QualifiedName
        $script:polaris = Connect-Polaris -BaseUri $script:sandbox.PolarisBaseUri -ApiKey $script:PolarisKey -Name docs
    }

    function script:Resolve-DocsBlock([string] $Code) {
        foreach ($entry in $script:Placeholders.GetEnumerator()) {
            $Code = $Code.Replace($entry.Key, $entry.Value)
        }
        $Code
    }
}

AfterAll {
    Pop-Location
    foreach ($entry in $script:SavedEnv.GetEnumerator()) {
        [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value)
    }
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
    Remove-Item -Recurse -Force $script:Workspace -ErrorAction SilentlyContinue
}

Describe 'Docs examples' {
    BeforeDiscovery {
        # First code line of a block -> why it cannot run against the sandbox.
        $notRunnable = @{
            '$cred = Get-Credential svc-kafka' = 'Get-Credential prompts for a password, and the SASL_SSL listener with a CA file (./ca.pem) is not the sandbox''s PLAINTEXT one; SecuredClusterTests and the SASL real-cluster pass cover SCRAM over TLS.'
            '$cert = Get-Content ./client.pem -Raw' = 'Needs client certificate, key and CA files of a TLS cluster; the sandbox listener is PLAINTEXT (TlsGroupTests cover mutual TLS against TestKit).'
            'Connect-KafkaCluster -BootstrapServer kafka1:9094 -Name corp -SecurityProtocol SaslSsl -SaslMechanism Gssapi -KerberosServiceName kafka -KerberosPrincipal svc-kafka@EXAMPLE.COM -KerberosKeytab ./svc-kafka.keytab -SslCaLocation ./ca.pem' = 'Kerberos needs a KDC and a keytab, and the bundled librdkafka has no GSSAPI.'
            '$client = Get-Credential kafka-client' = 'Get-Credential prompts, and OAUTHBEARER needs a TLS listener and an identity provider with a CA file (OAuthBearerTests cover the flow against TestKit''s token endpoint).'
            '$cred = Get-Credential svc-polaris' = 'Get-Credential prompts for the Kafka password Polaris should use.'
            'Connect-KafkaCluster -BootstrapServer kafka1:9093 -Name as-alice -SecurityProtocol SaslPlaintext -SaslMechanism ScramSha512 -Credential ([pscredential]::new(''alice'', $password))' = 'The docs sandbox listener is PLAINTEXT; tests/Pester/Kafka.Scram.Tests.ps1 runs the same Set- then Connect-KafkaCluster over SASL_PLAINTEXT SCRAM against a --sasl sandbox.'
            'Install-PSResource -Name KafkaCatalog -TrustRepository -Scope CurrentUser' = 'The Azure DevOps script installs from the PowerShell Gallery, which this machine cannot reach; the suite runs against the same package installed with Install-PSResource from a local repository, and the rest of the script runs in the next check.'
        }
        # First code line of a block that shows error handling -> the error ids it writes on purpose.
        $expectedErrors = @{
            'New-KafkaTopic -Name orders -Partitions 3 -ErrorAction SilentlyContinue -ErrorVariable failed' = @('TopicAlreadyExists')
        }
        $script:Runnable = @($script:Blocks | Where-Object { -not $notRunnable.ContainsKey($_.First) } | ForEach-Object {
            $_ + @{ ExpectedErrors = @(if ($expectedErrors.ContainsKey($_.First)) { $expectedErrors[$_.First] }) }
        })
        $script:Skipped = @($script:Blocks | Where-Object { $notRunnable.ContainsKey($_.First) } | ForEach-Object { $_ + @{ Reason = $notRunnable[$_.First] } })
        $script:Counts = @{
            Total = $script:Blocks.Count
            Readme = @($script:Blocks | Where-Object File -eq 'README.md').Count
            About = @($script:Blocks | Where-Object File -like 'docs/about_*').Count
        }
        $script:StaleCase = @{ Stale = @(@($notRunnable.Keys) + @($expectedErrors.Keys) | Where-Object { $first = $_; -not ($script:Blocks | Where-Object { $_.First -eq $first }) }) }
        # The Azure DevOps script without its install line: the package is already installed.
        $script:Runnable += @($script:Blocks | Where-Object { $_.First -like 'Install-PSResource -Name KafkaCatalog*' } | ForEach-Object {
            @{ Id = $_.Id + ' (after the install)'; File = $_.File; First = 'Import-Module KafkaCatalog'; Code = (($_.Code -split "`n") | Where-Object { $_ -notlike 'Install-PSResource*' }) -join "`n"; ExpectedErrors = @() }
        })
    }

    It 'finds the blocks of README.md, docs/*.md and about_' -TestCases $script:Counts {
        $Total | Should -BeGreaterThan 100
        $Readme | Should -BeGreaterThan 1
        $About | Should -BeGreaterThan 1
    }

    It 'lists as not runnable or expecting errors only blocks that exist' -TestCases $script:StaleCase {
        $Stale | Should -BeNullOrEmpty -Because 'every not-runnable and expected-errors entry must name the first line of a docs block'
    }

    It '<Id>: <First>' -ForEach $script:Runnable {
        Reset-DocsContext
        foreach ($rule in $script:Setup) {
            if ($Code -match $rule.When) { & $rule.Do | Out-Null }
        }
        $resolved = Resolve-DocsBlock $Code
        # As a user's session: no strict mode (the Pester host sets it for the suites).
        Set-StrictMode -Off
        $Error.Clear()
        $ConfirmPreference = 'None'
        $ProgressPreference = 'SilentlyContinue'
        $ErrorActionPreference = 'Stop'
        try {
            $null = & ([scriptblock]::Create($resolved)) | Out-String
        }
        finally {
            $ErrorActionPreference = 'Continue'
        }
        if ($ExpectedErrors.Count -eq 0) {
            @($Error) | Should -BeNullOrEmpty -Because "the block should run without errors:`n$resolved"
        }
        else {
            $written = @($Error | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord } })
            @($written | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be $ExpectedErrors -Because "the block shows these errors:`n$resolved"
            foreach ($record in $written) {
                $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because "$($record.FullyQualifiedErrorId) should say what to do"
                $record.ErrorDetails.Message | Should -BeExactly $record.Exception.Message
            }
        }
    }

    It '<Id> is not run: <Reason>' -ForEach $script:Skipped {
        $Reason | Should -Not -BeNullOrEmpty
        Set-ItResult -Skipped -Because $Reason
    }
}
