# Get-KafkaConsumerGroup, Get-KafkaConsumerGroupOffset, Reset-KafkaConsumerGroupOffset and
# Remove-KafkaConsumerGroup against the seeded sandbox: orders-processor (lag on every partition of
# orders), payments-audit (caught up on payments), clicks-analytics (half of clicks); all Empty.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-groups
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-KafkaConsumerGroup' {
    It 'lists the seeded groups as KafkaConsumerGroup objects' {
        $groups = @(Get-KafkaConsumerGroup)
        $groups.GroupId | Should -Contain 'orders-processor'
        $groups.GroupId | Should -Contain 'payments-audit'
        $groups.GroupId | Should -Contain 'clicks-analytics'
        $groups[0].PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.KafkaConsumerGroup'
    }

    It 'filters by wildcard id and by state' {
        $group = Get-KafkaConsumerGroup -GroupId 'orders-*'
        $group.GroupId | Should -Be 'orders-processor'
        $group.State | Should -Be 'Empty'
        @(Get-KafkaConsumerGroup -State Stable).Count | Should -Be 0
    }

    It 'includes the committed offsets with -IncludeOffsets' {
        $group = Get-KafkaConsumerGroup -GroupId orders-processor -IncludeOffsets
        $group.Offsets.Count | Should -Be 6
        $group.Offsets | ForEach-Object { $_.Topic | Should -Be 'orders' }
    }

    It 'rejects a state outside the set at parameter binding' {
        { Get-KafkaConsumerGroup -State Running } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.GetKafkaConsumerGroupCommand'
    }

    It 'writes ConsumerGroupNotFound for an unknown exact id' {
        Get-KafkaConsumerGroup -GroupId no-such-group -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConsumerGroupNotFound,*'
    }
}

Describe 'Get-KafkaConsumerGroupOffset' {
    It 'returns one KafkaConsumerGroupOffset per partition with the lag' {
        $offsets = @(Get-KafkaConsumerGroupOffset -GroupId orders-processor)
        $offsets.Count | Should -Be 6
        $offsets[0].GetType().Name | Should -Be 'KafkaConsumerGroupOffset'
        $offsets | ForEach-Object { $_.Lag | Should -Be ($_.LogEndOffset - $_.CommittedOffset) }
    }

    It 'keeps only lagging partitions with Where-Object Lag -gt 0' {
        $lagging = @(Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Where-Object Lag -gt 0)
        $lagging.GroupId | Should -Contain 'orders-processor'
        $lagging.GroupId | Should -Not -Contain 'payments-audit'
    }

    It 'takes the described groups themselves (-InputObject) and gives the same rows as -GroupId' {
        $groups = @(Get-KafkaConsumerGroup -GroupId orders-processor, payments-audit)
        $piped = @($groups | Get-KafkaConsumerGroupOffset | Sort-Object GroupId, Topic, Partition)
        $byId = @(Get-KafkaConsumerGroupOffset -GroupId orders-processor, payments-audit | Sort-Object GroupId, Topic, Partition)
        $piped.Count | Should -Be $byId.Count
        $piped.Count | Should -BeGreaterThan 0
        for ($i = 0; $i -lt $byId.Count; $i++) {
            "$($piped[$i].GroupId) $($piped[$i].Topic)[$($piped[$i].Partition)] $($piped[$i].CommittedOffset) $($piped[$i].Lag)" |
                Should -Be "$($byId[$i].GroupId) $($byId[$i].Topic)[$($byId[$i].Partition)] $($byId[$i].CommittedOffset) $($byId[$i].Lag)"
        }
        (Get-KafkaConsumerGroupOffset -InputObject $groups -Summary | Measure-Object TotalLag -Sum).Sum | Should -Be ($byId | Measure-Object Lag -Sum).Sum
    }

    It 'reads committed offsets once per group in the pipeline, and again for groups kept in a variable' {
        # TestKit's request counters (the sandbox's 'requests' line); nothing else in this file runs meanwhile.
        function Get-OffsetFetchCount {
            $line = Send-TestSandboxCommand $script:sandbox 'requests'
            if ($line -match '\bOffsetFetch=(\d+)') { [int]$Matches[1] } else { 0 }
        }
        $before = Get-OffsetFetchCount
        $rows = @(Get-KafkaConsumerGroup -GroupId orders-processor, payments-audit | Get-KafkaConsumerGroupOffset)
        $rows.Count | Should -BeGreaterThan 0
        ((Get-OffsetFetchCount) - $before) | Should -Be 2

        $kept = @(Get-KafkaConsumerGroup -GroupId orders-processor, payments-audit)
        $before = Get-OffsetFetchCount
        $again = @($kept | Get-KafkaConsumerGroupOffset)
        ((Get-OffsetFetchCount) - $before) | Should -Be 2
        $again.Count | Should -Be $rows.Count
    }

    It 'still binds group ids by property name (Import-Csv) and takes id strings' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "groups-$([guid]::NewGuid().ToString('N')).csv"
        try {
            @('GroupId', 'orders-processor', 'payments-audit') | Set-Content $csv
            (@(Import-Csv $csv | Get-KafkaConsumerGroupOffset).GroupId | Sort-Object -Unique) | Should -Be @('orders-processor', 'payments-audit')
        } finally { Remove-Item $csv -ErrorAction SilentlyContinue }
        (@('orders-processor' | Get-KafkaConsumerGroupOffset).GroupId | Sort-Object -Unique) | Should -Be 'orders-processor'
    }

    It 'reports a piped object that is no group as NotAConsumerGroup and emits no row' {
        $rows = @([datetime]::UnixEpoch | Get-KafkaConsumerGroupOffset -ErrorVariable err -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NotAConsumerGroup,KafkaCatalog.PowerShell.Cmdlets.GetKafkaConsumerGroupOffsetCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'summarises the lag per group and topic with -Summary' {
        $summary = Get-KafkaConsumerGroupOffset -GroupId orders-processor -Summary
        $summary.GetType().Name | Should -Be 'KafkaConsumerGroupLagSummary'
        $summary.Topic | Should -Be 'orders'
        $summary.PartitionCount | Should -Be 6
        $summary.TotalLag | Should -Be (Get-KafkaConsumerGroupOffset -GroupId orders-processor | Measure-Object Lag -Sum).Sum
        (Get-KafkaConsumerGroupOffset -GroupId payments-audit -Summary).TotalLag | Should -Be 0
    }

    It 'adds TimeLag per partition with -IncludeTimeLag: a TimeSpan for lagging partitions, zero when caught up' {
        $rows = @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -IncludeTimeLag)
        $rows.Count | Should -Be 6
        $rows | ForEach-Object {
            $_.TimeLag | Should -BeOfType [timespan]
            $_.TimeLag | Should -BeGreaterOrEqual ([timespan]::Zero)
            $_.TimeLagUnavailableReason | Should -BeNullOrEmpty
        }
        $caughtUp = @(Get-KafkaConsumerGroupOffset -GroupId payments-audit -IncludeTimeLag)
        $caughtUp | ForEach-Object { $_.TimeLag | Should -Be ([timespan]::Zero) }
        (Get-KafkaConsumerGroupOffset -GroupId orders-processor)[0].TimeLag | Should -BeNullOrEmpty
    }

    It 'gives the worst partition per group and topic with -Summary -IncludeTimeLag' {
        $rows = @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -IncludeTimeLag)
        $worst = $rows | Sort-Object TimeLag -Descending | Select-Object -First 1
        $summary = Get-KafkaConsumerGroupOffset -GroupId orders-processor -Summary -IncludeTimeLag
        $summary.MaxTimeLag | Should -Be $worst.TimeLag
        $rows | Where-Object Partition -eq $summary.MaxTimeLagPartition | ForEach-Object { $_.TimeLag | Should -Be $worst.TimeLag }
        $summary.PartitionsWithoutTimeLag | Should -Be 0
        (Get-KafkaConsumerGroupOffset -GroupId orders-processor -Summary).MaxTimeLag | Should -BeNullOrEmpty
    }

    It 'writes ConsumerGroupNotFound with -IncludeTimeLag for an unknown group and emits nothing' {
        $rows = Get-KafkaConsumerGroupOffset -GroupId no-such-group-tl -IncludeTimeLag -ErrorAction SilentlyContinue -ErrorVariable err
        $rows | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConsumerGroupNotFound,*'
        Get-KafkaConsumerGroup -GroupId no-such-group-tl -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'filters by topic' {
        @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -Topic payments).Count | Should -Be 0
        @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -Topic orders).Count | Should -Be 6
    }
}

Describe 'Reset-KafkaConsumerGroupOffset' {
    It 'changes no committed offset with -WhatIf' {
        $before = Get-KafkaConsumerGroupOffset -GroupId clicks-analytics | Sort-Object Partition | ForEach-Object CommittedOffset
        Reset-KafkaConsumerGroupOffset -GroupId clicks-analytics -Topic clicks -ToEarliest -WhatIf
        $after = Get-KafkaConsumerGroupOffset -GroupId clicks-analytics | Sort-Object Partition | ForEach-Object CommittedOffset
        $after | Should -Be $before
    }

    It 'resets to the latest offsets and returns one row per partition' {
        $rows = @(Reset-KafkaConsumerGroupOffset -GroupId clicks-analytics -Topic clicks -ToLatest -Force)
        $rows.Count | Should -Be 12
        $rows[0].GetType().Name | Should -Be 'KafkaConsumerGroupOffsetReset'
        (Get-KafkaConsumerGroupOffset -GroupId clicks-analytics -Summary).TotalLag | Should -Be 0
    }

    It 'shifts one partition back by a number of messages' {
        $row = Reset-KafkaConsumerGroupOffset -GroupId clicks-analytics -Topic clicks -Partition 0 -ShiftBy -1 -Force
        $row.Partition | Should -Be 0
        $row.NewOffset | Should -Be ($row.LogEndOffset - 1)
    }

    It 'resets to an explicit offset for a group piped in by property name' {
        $rows = @(Get-KafkaConsumerGroup -GroupId payments-audit | Reset-KafkaConsumerGroupOffset -Topic payments -ToOffset 0 -Force)
        $rows.Count | Should -Be 3
        Get-KafkaConsumerGroupOffset -GroupId payments-audit | ForEach-Object { $_.CommittedOffset | Should -Be 0 }
    }

    It 'writes TopicNotFound for an unknown topic and changes nothing' {
        $before = Get-KafkaConsumerGroupOffset -GroupId orders-processor | Sort-Object Partition | ForEach-Object CommittedOffset
        Reset-KafkaConsumerGroupOffset -GroupId orders-processor -Topic no-such-topic -ToEarliest -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.ResetKafkaConsumerGroupOffsetCommand'
        Get-KafkaConsumerGroupOffset -GroupId orders-processor | Sort-Object Partition | ForEach-Object CommittedOffset | Should -Be $before
    }

    It 'writes NegativeResetOffset for a negative -ToOffset' {
        Reset-KafkaConsumerGroupOffset -GroupId orders-processor -Topic orders -ToOffset -5 -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NegativeResetOffset,*'
    }

    It 'writes PartitionNeedsSingleTopic for -Partition without -Topic' {
        Reset-KafkaConsumerGroupOffset -GroupId orders-processor -Partition 0 -ToEarliest -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PartitionNeedsSingleTopic,*'
    }
}

Describe 'Remove-KafkaConsumerGroup' {
    It 'removes nothing with -WhatIf' {
        Remove-KafkaConsumerGroup -GroupId payments-audit -WhatIf
        (Get-KafkaConsumerGroup -GroupId payments-audit).GroupId | Should -Be 'payments-audit'
    }

    It 'deletes the offsets of one topic only with -Topic' {
        $removal = Remove-KafkaConsumerGroup -GroupId orders-processor -Topic orders -Force -PassThru
        $removal.GetType().Name | Should -Be 'KafkaConsumerGroupRemoval'
        $removal.Topic | Should -Be 'orders'
        @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -Topic orders).Count | Should -Be 0
    }

    It 'deletes a group piped from Get-KafkaConsumerGroup' {
        Get-KafkaConsumerGroup -GroupId payments-audit | Remove-KafkaConsumerGroup -Force
        @(Get-KafkaConsumerGroup -GroupId 'payments-*').Count | Should -Be 0
    }

    It 'writes ConsumerGroupNotFound for an unknown group and removes nothing else' {
        $before = @(Get-KafkaConsumerGroup).Count
        Remove-KafkaConsumerGroup -GroupId no-such-group -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ConsumerGroupNotFound,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaConsumerGroupCommand'
        @(Get-KafkaConsumerGroup).Count | Should -Be $before
    }
}
