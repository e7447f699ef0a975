# Compare-KafkaTopic and Sync-KafkaTopic (desired-state topics) against the TestKit sandbox: YAML and JSON
# files, Import-Csv rows, -WhatIf, apply then compare, -RemoveMissing in a scope, bad input, and the
# nightly Azure DevOps drift job of docs/Compare-KafkaTopic.md run as a pipeline agent would run it.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-topicstate
    $script:Workspace = Join-Path ([IO.Path]::GetTempPath()) "kafkacatalog-topicstate-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $script:Workspace | Out-Null

    function script:Write-Desired([string] $Name, [string] $Text) {
        $path = Join-Path $script:Workspace $Name
        Set-Content -Path $path -Value $Text
        $path
    }

    function script:Get-TopicSnapshot([string] $Prefix) {
        @(Get-KafkaTopic -Name "$Prefix*" -IncludeConfig | ForEach-Object {
            $overrides = (Get-KafkaTopicConfig -Name $_.Name | Where-Object Source -eq 'DYNAMIC_TOPIC_CONFIG' | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ','
            '{0}:{1}:{2}:{3}' -f $_.Name, $_.PartitionCount, $_.ReplicationFactor, $overrides
        }) -join ';'
    }
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
    Remove-Item -Recurse -Force $script:Workspace -ErrorAction SilentlyContinue
}

Describe 'Compare-KafkaTopic' {
    It 'reads a YAML file and lists one difference per change, typed, without changing anything' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-grow" -Partitions 1 -ReplicationFactor 1 -Config @{ 'retention.ms' = '1000'; 'segment.ms' = '3600000' } -Confirm:$false | Out-Null
        $path = Write-Desired "$p.yaml" @"
topics:
  - name: $p-new
    partitions: 2
    replicationFactor: 1
  - name: $p-grow
    partitions: 3
    replicationFactor: 3
    configs:
      retention.ms: 2000
"@
        $before = Get-TopicSnapshot $p
        $plan = @(Compare-KafkaTopic -Path $path)
        $plan[0].PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.TopicState.KafkaTopicDifference'
        $plan | ForEach-Object { '{0} {1} {2}' -f $_.Topic, $_.Kind, $_.Setting } | Should -Be @(
            "$p-grow AddPartitions Partitions"
            "$p-grow SetConfig retention.ms"
            "$p-grow ResetConfig segment.ms"
            "$p-grow ReplicationFactorDiffers ReplicationFactor"
            "$p-new Create "
        )
        ($plan | Where-Object Kind -eq 'ReplicationFactorDiffers').CanApply | Should -BeFalse
        Get-TopicSnapshot $p | Should -Be $before
        Get-KafkaTopic -Name "$p-new" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reads a JSON file; a matching cluster is no output' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-a" -Partitions 2 -ReplicationFactor 1 -Config @{ 'cleanup.policy' = 'compact' } -Confirm:$false | Out-Null
        $path = Write-Desired "$p.json" "{ `"topics`": [ { `"name`": `"$p-a`", `"partitions`": 2, `"replicationFactor`": 1, `"configs`": { `"cleanup.policy`": `"compact`" } } ] }"
        @(Compare-KafkaTopic -Path $path -Scope "$p-*") | Should -HaveCount 0
        $path = Write-Desired "$p-more.json" "[ { `"name`": `"$p-a`", `"partitions`": 4 } ]"
        (Compare-KafkaTopic -Path $path).Kind | Should -Be 'AddPartitions'
    }

    It 'takes Import-Csv rows with a Config column and config columns' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-csv" -Partitions 1 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $csv = Write-Desired "$p.csv" @"
Name,Partitions,ReplicationFactor,Config,retention.ms
$p-csv,1,1,cleanup.policy=compact,86400000
$p-csv2,2,1,,
"@
        $plan = @(Import-Csv $csv | Compare-KafkaTopic)
        $plan | ForEach-Object { '{0} {1} {2} {3}' -f $_.Topic, $_.Kind, $_.Setting, $_.Desired } | Should -Be @(
            "$p-csv SetConfig cleanup.policy compact"
            "$p-csv SetConfig retention.ms 86400000"
            "$p-csv2 Create  2 partitions, replication factor 1"
        )
    }

    It 'takes Get-KafkaTopic output, so one cluster is the desired state of another' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-src" -Partitions 3 -ReplicationFactor 1 -Confirm:$false | Out-Null
        @(Get-KafkaTopic -Name "$p-*" | Compare-KafkaTopic -Connection $script:kafka) | Should -HaveCount 0
        $other = Start-TestSandbox -NoSeed
        try {
            $target = Connect-KafkaCluster -BootstrapServer $other.BootstrapServers -Name pester-topicstate-target
            $plan = @(Get-KafkaTopic -Name "$p-*" -Connection $script:kafka | Compare-KafkaTopic -Connection $target)
            $plan.Kind | Should -Be 'Create'
            $plan.DesiredTopic.Partitions | Should -Be 3
            Get-KafkaTopic -Name "$p-*" -Connection $script:kafka | Sync-KafkaTopic -Connection $target | Select-Object -ExpandProperty Status | Should -Be 'Applied'
            (Get-KafkaTopic -Name "$p-src" -Connection $target).PartitionCount | Should -Be 3
        }
        finally {
            Disconnect-KafkaCluster -Name pester-topicstate-target -ErrorAction SilentlyContinue
            Stop-TestSandbox $other
            # Connect-KafkaCluster made the target the session default: the sandbox is again.
            $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-topicstate
        }
    }

    It 'refuses bad input with <ErrorId> and no side effect' -ForEach @(
        @{ ErrorId = 'DesiredStateFileNotFound'; Make = { param($p) @{ Path = (Join-Path $script:Workspace "$p-absent.yaml") } } }
        @{ ErrorId = 'DesiredStateUnknownFormat'; Make = { param($p) @{ Path = (Write-Desired "$p.toml" "name = '$p'") } } }
        @{ ErrorId = 'DesiredStateDuplicateTopic'; Make = { param($p) @{ Path = (Write-Desired "$p.yaml" "topics:`n  - name: $p`n  - name: $p`n") } } }
        @{ ErrorId = 'DesiredStateInvalidPartitions'; Make = { param($p) @{ Path = (Write-Desired "$p.yaml" "topics:`n  - name: $p`n    partitions: lots`n") } } }
        @{ ErrorId = 'DesiredStateSyntaxError'; Make = { param($p) @{ Path = (Write-Desired "$p.json" "{ `"topics`": [ { `"name`": `"$p`" ") } } }
        @{ ErrorId = 'DesiredStateInvalidEntry'; Make = { param($p) @{ Path = (Write-Desired "$p.yaml" "topics:`n  - name: $p`n    partitons: 3`n") } } }
    ) {
        $p = New-TestTopicName -Prefix 'pester-tsbad'
        $arguments = & $Make $p
        { Compare-KafkaTopic @arguments } | Should -Throw -ErrorId "$ErrorId,*"
        { Sync-KafkaTopic @arguments -Confirm:$false } | Should -Throw -ErrorId "$ErrorId,*"
        Get-KafkaTopic -Name "$p*" | Should -BeNullOrEmpty
    }

    It 'refuses non-numeric partitions and duplicate names from Import-Csv with no side effect' {
        $p = New-TestTopicName -Prefix 'pester-tsbad'
        $csv = Write-Desired "$p-nan.csv" "Name,Partitions`n$p-a,1`n$p-b,six`n"
        { Import-Csv $csv | Sync-KafkaTopic -Confirm:$false } | Should -Throw -ErrorId 'DesiredStateInvalidPartitions,*'
        $csv = Write-Desired "$p-dup.csv" "Name,Partitions`n$p-a,1`n$p-a,2`n"
        { Import-Csv $csv | Sync-KafkaTopic -Confirm:$false } | Should -Throw -ErrorId 'DesiredStateDuplicateTopic,*'
        Get-KafkaTopic -Name "$p*" | Should -BeNullOrEmpty
    }
}

Describe 'Sync-KafkaTopic' {
    It '-WhatIf changes nothing' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-a" -Partitions 1 -ReplicationFactor 1 -Config @{ 'retention.ms' = '1000' } -Confirm:$false | Out-Null
        New-KafkaTopic -Name "$p-gone" -Partitions 1 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $path = Write-Desired "$p.yaml" "topics:`n  - name: $p-a`n    partitions: 4`n    configs:`n      retention.ms: 5000`n  - name: $p-new`n"
        $before = Get-TopicSnapshot $p
        $out = @(Sync-KafkaTopic -Path $path -Scope "$p-*" -RemoveMissing -Force -WhatIf)
        $out | Should -HaveCount 0
        Get-TopicSnapshot $p | Should -Be $before
    }

    It 'applies a YAML file, one result per change, and Compare then shows no drift' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-a" -Partitions 1 -ReplicationFactor 1 -Config @{ 'retention.ms' = '1000'; 'segment.ms' = '3600000' } -Confirm:$false | Out-Null
        $path = Write-Desired "$p.yaml" @"
topics:
  - name: $p-a
    partitions: 3
    configs:
      retention.ms: 5000
  - name: $p-new
    partitions: 2
    replicationFactor: 1
    configs:
      cleanup.policy: [compact, delete]
"@
        $results = @(Sync-KafkaTopic -Path $path)
        $results[0].PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.TopicState.KafkaTopicSyncResult'
        $results | ForEach-Object { '{0} {1} {2}' -f $_.Topic, $_.Kind, $_.Status } | Sort-Object | Should -Be @(
            "$p-a AddPartitions Applied"
            "$p-a ResetConfig Applied"
            "$p-a SetConfig Applied"
            "$p-new Create Applied"
        )
        @(Compare-KafkaTopic -Path $path) | Should -HaveCount 0
        (Get-KafkaTopic -Name "$p-a").PartitionCount | Should -Be 3
        (Get-KafkaTopicConfig -Name "$p-new" -ConfigName cleanup.policy).Value | Should -Be 'compact,delete'
        Get-KafkaTopicConfig -Name "$p-a" | Where-Object Source -eq 'DYNAMIC_TOPIC_CONFIG' | ForEach-Object { "$($_.Name)=$($_.Value)" } | Should -Be 'retention.ms=5000'
    }

    It 'applies Import-Csv rows, and reports what it cannot change as NotApplied with a warning' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        New-KafkaTopic -Name "$p-big" -Partitions 4 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $csv = Write-Desired "$p.csv" "Name,Partitions,ReplicationFactor,Config`n$p-big,2,3,`n$p-csv,3,1,retention.ms=7200000`n"
        $results = @(Import-Csv $csv | Sync-KafkaTopic -WarningVariable warnings -WarningAction SilentlyContinue)
        $results | ForEach-Object { '{0} {1} {2}' -f $_.Topic, $_.Kind, $_.Status } | Sort-Object | Should -Be @(
            "$p-big PartitionsDecreaseRequested NotApplied"
            "$p-big ReplicationFactorDiffers NotApplied"
            "$p-csv Create Applied"
        )
        $warnings | Should -HaveCount 2
        (Get-KafkaTopicConfig -Name "$p-csv" -ConfigName retention.ms).Value | Should -Be '7200000'
        (Get-KafkaTopic -Name "$p-big").PartitionCount | Should -Be 4
    }

    It '-RemoveMissing with -Force deletes only the missing topics in scope' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        foreach ($name in "$p-keep", "$p-gone1", "$p-gone2") { New-KafkaTopic -Name $name -Partitions 1 -ReplicationFactor 1 -Confirm:$false | Out-Null }
        $outside = New-TestTopicName -Prefix 'pester-tsoutside'
        New-KafkaTopic -Name $outside -Partitions 1 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $path = Write-Desired "$p.yaml" "topics:`n  - name: $p-keep`n"

        # Without -RemoveMissing, and without -Scope, nothing is deleted.
        Sync-KafkaTopic -Path $path -RemoveMissing -Force | Should -BeNullOrEmpty
        (Sync-KafkaTopic -Path $path -Scope "$p-*" -WarningAction SilentlyContinue).Status | Should -Be @('NotApplied', 'NotApplied')
        @(Get-KafkaTopic -Name "$p-*") | Should -HaveCount 3

        $results = @(Sync-KafkaTopic -Path $path -Scope "$p-*" -RemoveMissing -Force)
        $results | ForEach-Object { '{0} {1} {2}' -f $_.Topic, $_.Kind, $_.Status } | Should -Be @("$p-gone1 Missing Applied", "$p-gone2 Missing Applied")
        (Get-KafkaTopic -Name "$p-*").Name | Should -Be "$p-keep"
        Get-KafkaTopic -Name $outside | Should -Not -BeNullOrEmpty
    }

    It 'reports a change the cluster refuses as Failed with its error id, and applies the others' {
        $p = New-TestTopicName -Prefix 'pester-ts'
        $path = Write-Desired "$p.yaml" "topics:`n  - name: $p-wide`n    partitions: 1`n    replicationFactor: 9`n  - name: $p-ok`n    partitions: 1`n    replicationFactor: 1`n"
        $results = @(Sync-KafkaTopic -Path $path -ErrorVariable failures -ErrorAction SilentlyContinue)
        ($results | Where-Object Topic -eq "$p-wide").Status | Should -Be 'Failed'
        ($results | Where-Object Topic -eq "$p-wide").ErrorId | Should -Be 'InvalidReplicationFactor'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidReplicationFactor,*'
        ($results | Where-Object Topic -eq "$p-ok").Status | Should -Be 'Applied'
        Get-KafkaTopic -Name "$p-wide" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'ends with one KafkaClusterUnreachable when the cluster does not answer' {
        $dead = Connect-KafkaCluster -BootstrapServer '127.0.0.1:1' -Name pester-topicstate-dead -TimeoutSec 3 -SkipVerify
        try {
            $path = Write-Desired 'unreachable.yaml' "topics:`n  - name: x`n"
            { Compare-KafkaTopic -Path $path -Connection $dead } | Should -Throw -ErrorId 'KafkaClusterUnreachable,*'
            { Sync-KafkaTopic -Path $path -Connection $dead } | Should -Throw -ErrorId 'KafkaClusterUnreachable,*'
        }
        finally {
            Disconnect-KafkaCluster -Name pester-topicstate-dead
            $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-topicstate
        }
    }
}

Describe 'The nightly Azure DevOps drift job (docs/Compare-KafkaTopic.md)' {
    BeforeAll {
        $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/Compare-KafkaTopic.md')
        $yaml = [regex]::Match(($page -replace "`r`n", "`n"), '(?ms)^```yaml\n(schedules:.*?)^```').Groups[1].Value
        $lines = [regex]::Match($yaml, '(?ms)^\s*script: \|\n(.*)$').Groups[1].Value -split "`n" | Where-Object { $_.Trim() }
        $indent = ($lines | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
        $script:JobScript = ($lines | ForEach-Object { $_.Substring($indent) }) -join "`n"

        # Runs the script as the agent does: a fresh pwsh, the connection from KAFKA_BOOTSTRAP_SERVERS, the
        # repository checkout as the working directory; returns its exit code and output.
        function script:Invoke-DriftJob([string] $DesiredState) {
            $checkout = Join-Path $script:Workspace ([guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path (Join-Path $checkout 'kafka') -Force | Out-Null
            Set-Content -Path (Join-Path $checkout 'kafka/topics.yaml') -Value $DesiredState
            $scriptPath = Join-Path $checkout 'job.ps1'
            Set-Content -Path $scriptPath -Value ("Set-Location -LiteralPath '$checkout'`n" + $script:JobScript)
            $command = @([Environment]::ProcessPath)
            if ((Split-Path $command[0] -Leaf) -match '^dotnet(\.exe)?$') { $command += Join-Path $PSHOME 'pwsh.dll' }
            $saved = $env:KAFKA_BOOTSTRAP_SERVERS
            $env:KAFKA_BOOTSTRAP_SERVERS = $script:sandbox.BootstrapServers
            try {
                $process = [KafkaCatalogTestTools.SandboxProcess]::Start($command[0], [string[]](@($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptPath)))
            }
            finally { $env:KAFKA_BOOTSTRAP_SERVERS = $saved }
            try {
                if (-not $process.Process.WaitForExit(120000)) { throw "The job did not end within 120 s: $($process.Lines -join "`n")" }
                $process.Process.WaitForExit()
                [pscustomobject]@{ ExitCode = $process.Process.ExitCode; Output = @($process.Lines) }
            }
            finally { $process.Dispose() }
        }
    }

    It 'finds the inline script of the sample' {
        $script:JobScript | Should -Match 'Compare-KafkaTopic -Path kafka/topics.yaml'
        $script:JobScript | Should -Match '##vso\[task.complete result=Failed;\]'
    }

    It 'fails the job on drift, one pipeline error per difference' {
        $p = New-TestTopicName -Prefix 'pester-tsjob'
        New-KafkaTopic -Name $p -Partitions 1 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $job = Invoke-DriftJob "topics:`n  - name: $p`n    partitions: 2`n  - name: $p-absent`n    partitions: 1`n"
        $job.ExitCode | Should -Be 1
        @($job.Output | Where-Object { $_ -like '##vso`[task.logissue type=error`]*' }) | Should -HaveCount 2
        $job.Output | Where-Object { $_ -like "##vso``[task.logissue type=error``]$p AddPartitions:*" } | Should -Not -BeNullOrEmpty
        $job.Output | Where-Object { $_ -like '##vso`[task.complete result=Failed;`]2 difference(s)*' } | Should -Not -BeNullOrEmpty
        Get-KafkaTopic -Name "$p-absent" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'passes when the cluster matches the desired state' {
        $p = New-TestTopicName -Prefix 'pester-tsjob'
        New-KafkaTopic -Name $p -Partitions 2 -ReplicationFactor 1 -Confirm:$false | Out-Null
        $job = Invoke-DriftJob "topics:`n  - name: $p`n    partitions: 2`n    replicationFactor: 1`n"
        $job.ExitCode | Should -Be 0 -Because ($job.Output -join "`n")
        $job.Output | Should -Contain 'No drift: the cluster matches kafka/topics.yaml.'
        $job.Output | Where-Object { $_ -like '##vso*' } | Should -BeNullOrEmpty
    }
}
