# Invoke-KafkaLeaderElection and Remove-KafkaRecord against the TestKit sandbox. The sandbox's
# move-leader command makes a partition's leader non-preferred, so the elections here are real.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-partitions

    function script:New-FilledTopic([int] $Partitions = 2, [int] $PerPartition = 10) {
        $name = New-TestTopicName -Prefix 'pester-records'
        New-KafkaTopic -Name $name -Partitions $Partitions -ReplicationFactor 1 -Confirm:$false | Out-Null
        foreach ($p in 0..($Partitions - 1)) {
            foreach ($i in 1..$PerPartition) { Publish-KafkaMessage -Topic $name -Partition $p -Value "v$i" | Out-Null }
        }
        $name
    }
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Invoke-KafkaLeaderElection' {
    It 'moves the leadership of a non-preferred partition back to its preferred replica' {
        $before = (Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 1
        Send-TestSandboxCommand $script:sandbox 'move-leader orders 1' | Should -BeLike 'ok orders`[1`] leader *'
        $moved = (Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 1
        $moved.Leader | Should -Not -Be $moved.Replicas[0]

        $result = Invoke-KafkaLeaderElection -Topic orders -Partition 1 -Confirm:$false
        $result.PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.Partitions.KafkaLeaderElectionResult'
        $result.Outcome | Should -Be 'Elected'
        $result.PreviousLeader | Should -Be $moved.Leader
        $result.NewLeader | Should -Be $before.Replicas[0]
        ((Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 1).Leader | Should -Be $before.Replicas[0]
    }

    It 'reports ELECTION_NOT_NEEDED as an outcome, one result per partition, from Get-KafkaTopic in the pipeline' {
        $results = @(Get-KafkaTopic -Name payments | Invoke-KafkaLeaderElection -Confirm:$false -ErrorVariable err)
        $results.Count | Should -Be 3
        $results.Outcome | Sort-Object -Unique | Should -Be 'ElectionNotNeeded'
        $err.Count | Should -Be 0
    }

    It 'lists the non-preferred partitions with -WhatIf and elects nothing' {
        Send-TestSandboxCommand $script:sandbox 'move-leader orders 2' | Should -BeLike 'ok *'
        $leader = ((Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 2).Leader
        $lines = Invoke-ChildPwsh -Script @"
Import-Module KafkaCatalog
Invoke-KafkaLeaderElection -Topic orders -BootstrapServer '$($script:sandbox.BootstrapServers)' -WhatIf
"@
        ($lines -join "`n") | Should -Match 'orders\[2\]: leader \d+ -> preferred \d+'
        ((Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 2).Leader | Should -Be $leader
        Invoke-KafkaLeaderElection -Topic orders -Partition 2 -Confirm:$false | Out-Null
    }

    It 'writes PartitionNotFound for a partition the topic does not have and elects nothing' {
        Send-TestSandboxCommand $script:sandbox 'move-leader orders 3' | Should -BeLike 'ok *'
        $leader = ((Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 3).Leader
        $result = Invoke-KafkaLeaderElection -Topic orders -Partition 3, 99 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'PartitionNotFound,KafkaCatalog.PowerShell.Cmdlets.InvokeKafkaLeaderElectionCommand'
        ((Get-KafkaTopic -Name orders).Partitions | Where-Object Partition -eq 3).Leader | Should -Be $leader
        Invoke-KafkaLeaderElection -Topic orders -Partition 3 -Confirm:$false | Out-Null
    }

    It 'refuses -Partition with a wildcard topic (PartitionNeedsSingleTopic)' {
        { Invoke-KafkaLeaderElection -Topic 'ord*' -Partition 0 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'PartitionNeedsSingleTopic,KafkaCatalog.PowerShell.Cmdlets.InvokeKafkaLeaderElectionCommand'
    }

    It 'answers an unclean election of a partition that has a leader with ElectionNotNeeded' {
        $result = Invoke-KafkaLeaderElection -Topic payments -Partition 0 -ElectionType Unclean -Force -Confirm:$false
        $result.ElectionType | Should -Be 'Unclean'
        $result.Outcome | Should -Be 'ElectionNotNeeded'
    }
}

Describe 'Remove-KafkaRecord' {
    It 'moves the low watermark and reports the records removed per partition' {
        $name = New-FilledTopic
        $rows = @(Remove-KafkaRecord -Topic $name -BeforeOffset 4 -Force)
        $rows.Count | Should -Be 2
        $rows[0].PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.Partitions.KafkaRecordDeletion'
        $rows | ForEach-Object { $_.PreviousLowWatermark | Should -Be 0; $_.NewLowWatermark | Should -Be 4; $_.RecordsRemoved | Should -Be 4; $_.Status | Should -Be 'Deleted' }
        (Get-KafkaTopicOffset -Name $name).LowWatermark | Sort-Object -Unique | Should -Be 4
        $first = Receive-KafkaMessage -Topic $name -Partition 0 -FromBeginning -MaxMessages 1 -TimeoutSec 10
        $first.Offset | Should -Be 4
    }

    It 'shows per partition what would go with -WhatIf and deletes nothing' {
        $name = New-FilledTopic
        $lines = Invoke-ChildPwsh -Script @"
Import-Module KafkaCatalog
Remove-KafkaRecord -Topic $name -Partition 1 -BeforeOffset 7 -BootstrapServer '$($script:sandbox.BootstrapServers)' -WhatIf
"@
        ($lines -join "`n") | Should -Match ([regex]::Escape("$name[1]: 7 record(s), low watermark 0 -> 7"))
        (Get-KafkaTopicOffset -Name $name).LowWatermark | Sort-Object -Unique | Should -Be 0
    }

    It 'deletes by timestamp from Get-KafkaTopic in the pipeline' {
        $name = New-FilledTopic -Partitions 1 -PerPartition 5
        $rows = Get-KafkaTopic -Name $name | Remove-KafkaRecord -BeforeTimestamp ([DateTimeOffset]::UtcNow.AddMinutes(5)) -Force
        $rows.NewLowWatermark | Should -Be 5
        $rows.RecordsRemoved | Should -Be 5
    }

    It 'refuses an offset beyond the high watermark (BeforeOffsetBeyondHighWatermark) and deletes nothing' {
        $name = New-FilledTopic
        Remove-KafkaRecord -Topic $name -BeforeOffset 11 -Force -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'BeforeOffsetBeyondHighWatermark,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaRecordCommand'
        (Get-KafkaTopicOffset -Name $name).LowWatermark | Sort-Object -Unique | Should -Be 0
    }

    It 'refuses an unknown topic (TopicNotFound) and an internal one (CannotDeleteInternalTopicRecords)' {
        Remove-KafkaRecord -Topic no-such-topic -BeforeOffset 1 -Force -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaRecordCommand'
        Remove-KafkaRecord -Topic __consumer_offsets -BeforeOffset 1 -Force -ErrorAction SilentlyContinue -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -Be 'CannotDeleteInternalTopicRecords,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaRecordCommand'
    }

    It 'refuses a compacted topic (RecordDeletionNotAllowed) and deletes nothing' {
        $name = New-TestTopicName -Prefix 'pester-compact'
        New-KafkaTopic -Name $name -Partitions 1 -ReplicationFactor 1 -Config @{ 'cleanup.policy' = 'compact' } -Confirm:$false | Out-Null
        Publish-KafkaMessage -Topic $name -Key k -Value v | Out-Null
        Remove-KafkaRecord -Topic $name -BeforeOffset 1 -Force -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'RecordDeletionNotAllowed,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaRecordCommand'
        (Get-KafkaTopicOffset -Name $name).LowWatermark | Should -Be 0
    }

    It 'is ConfirmImpact High' {
        (Get-Command Remove-KafkaRecord).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }
}
