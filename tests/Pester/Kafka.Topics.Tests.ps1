# Get/New/Remove-KafkaTopic, Add-KafkaPartition, Get/Set-KafkaTopicConfig and Get-KafkaTopicOffset
# against the seeded TestKit sandbox (orders: 6 partitions, payments: 3, clicks: 12, tmp-scratch: 1).

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-topics
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-KafkaTopic' {
    It 'lists the seeded topics as KafkaTopic objects' {
        $topics = @(Get-KafkaTopic)
        $topics.Name | Should -Contain 'orders'
        $topics.Name | Should -Contain 'payments'
        $topics.Name | Should -Contain 'clicks'
        $topics[0].PSObject.TypeNames | Should -Contain 'KafkaCatalog.Core.Kafka.KafkaTopic'
    }

    It 'returns the partitions of one topic' {
        $orders = Get-KafkaTopic -Name orders
        $orders.Partitions.Count | Should -Be 6
        $orders.ConnectionName | Should -Be 'pester-topics'
    }

    It 'filters with wildcards' {
        $names = @(Get-KafkaTopic -Name 'pay*').Name
        $names | Should -Contain 'payments'
        $names | Should -Not -Contain 'orders'
    }

    It 'includes the topic config with -IncludeConfig' {
        $clicks = Get-KafkaTopic -Name clicks -IncludeConfig
        $clicks.Config['cleanup.policy'] | Should -Be 'compact,delete'
    }

    It 'writes TopicNotFound for an unknown exact name and nothing for an unmatched wildcard' {
        $result = Get-KafkaTopic -Name no-such-topic -ErrorAction SilentlyContinue -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaTopicCommand'
        Get-KafkaTopic -Name 'no-such-*' -ErrorVariable wildcardErr | Should -BeNullOrEmpty
        $wildcardErr.Count | Should -Be 0
    }
}

Describe 'New-KafkaTopic' {
    It 'creates a topic and returns it with -PassThru' {
        $name = New-TestTopicName
        $topic = New-KafkaTopic -Name $name -Partitions 4 -ReplicationFactor 2 -Config @{ 'retention.ms' = '3600000' } -PassThru -Confirm:$false
        $topic.GetType().Name | Should -Be 'KafkaTopic'
        $topic.Partitions.Count | Should -Be 4
        (Get-KafkaTopicConfig -Name $name -ConfigName 'retention.ms').Value | Should -Be '3600000'
    }

    It 'creates nothing with -WhatIf' {
        $name = New-TestTopicName
        New-KafkaTopic -Name $name -Partitions 1 -WhatIf
        Get-KafkaTopic -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'creates one topic per CSV row from Import-Csv' {
        $prefix = New-TestTopicName -Prefix csv
        $csv = Join-Path $TestDrive 'topics.csv'
        @(
            [pscustomobject]@{ Name = "$prefix-a"; Partitions = 2; ReplicationFactor = 1 }
            [pscustomobject]@{ Name = "$prefix-b"; Partitions = 3; ReplicationFactor = 2 }
        ) | Export-Csv -Path $csv -NoTypeInformation
        Import-Csv -Path $csv | New-KafkaTopic -Confirm:$false
        (Get-KafkaTopic -Name "$prefix-a").Partitions.Count | Should -Be 2
        (Get-KafkaTopic -Name "$prefix-b").Partitions.Count | Should -Be 3
    }

    It 'writes TopicAlreadyExists for an existing topic and leaves it unchanged' {
        New-KafkaTopic -Name orders -Partitions 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicAlreadyExists,KafkaCatalog.PowerShell.Cmdlets.NewKafkaTopicCommand'
        (Get-KafkaTopic -Name orders).Partitions.Count | Should -Be 6
    }

    It 'puts the fix docs/errors.md lists for TopicAlreadyExists into ErrorDetails.RecommendedAction' {
        $row = Get-Content (Join-Path $PSScriptRoot '../../docs/errors.md') | Where-Object { $_ -like '| TopicAlreadyExists |*' }
        $fix = ($row -split ' \| ')[2].TrimEnd(' |')
        $fix | Should -Not -BeNullOrEmpty
        New-KafkaTopic -Name orders -Partitions 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].ErrorDetails.RecommendedAction | Should -BeExactly $fix
        $err[0].ErrorDetails.Message | Should -BeExactly $err[0].Exception.Message
        "$($err[0])" | Should -BeExactly $err[0].Exception.Message
    }

    It 'writes InvalidTopicName for a name Kafka does not allow and creates nothing' {
        New-KafkaTopic -Name 'bad name!' -Partitions 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTopicName,*'
        Get-KafkaTopic -Name 'bad*' | Should -BeNullOrEmpty
    }

    It 'writes InvalidPartitions for zero partitions' {
        $name = New-TestTopicName
        New-KafkaTopic -Name $name -Partitions 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPartitions,*'
        Get-KafkaTopic -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Add-KafkaPartition' {
    BeforeAll {
        $script:growing = New-TestTopicName -Prefix grow
        New-KafkaTopic -Name $script:growing -Partitions 2 -Confirm:$false
    }

    It 'adds nothing with -WhatIf' {
        Add-KafkaPartition -Name $script:growing -TotalCount 5 -WhatIf
        (Get-KafkaTopic -Name $script:growing).Partitions.Count | Should -Be 2
    }

    It 'grows a topic piped from Get-KafkaTopic' {
        $topic = Get-KafkaTopic -Name $script:growing | Add-KafkaPartition -TotalCount 5 -PassThru -Confirm:$false
        $topic.Partitions.Count | Should -Be 5
        (Get-KafkaTopic -Name $script:growing).Partitions.Count | Should -Be 5
    }

    It 'writes InvalidPartitions when asked to shrink and keeps the partitions' {
        Add-KafkaPartition -Name $script:growing -TotalCount 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidPartitions,KafkaCatalog.PowerShell.Cmdlets.AddKafkaPartitionCommand'
        (Get-KafkaTopic -Name $script:growing).Partitions.Count | Should -Be 5
    }
}

Describe 'Get-KafkaTopicConfig and Set-KafkaTopicConfig' {
    BeforeAll {
        $script:configured = New-TestTopicName -Prefix cfg
        New-KafkaTopic -Name $script:configured -Partitions 1 -Confirm:$false
    }

    It 'reads the seeded topic config' {
        $entry = Get-KafkaTopicConfig -Name payments -ConfigName 'retention.ms'
        $entry.GetType().Name | Should -Be 'KafkaConfigEntry'
        $entry.Value | Should -Be '2592000000'
        $entry.IsDefault | Should -BeFalse
    }

    It 'leaves out defaults with -ExcludeDefault' {
        $entries = @(Get-KafkaTopicConfig -Name clicks -ExcludeDefault)
        $entries.Name | Should -Contain 'cleanup.policy'
        $entries | ForEach-Object { $_.IsDefault | Should -BeFalse }
    }

    It 'changes nothing with -WhatIf' {
        Set-KafkaTopicConfig -Name $script:configured -Set @{ 'retention.ms' = '1000' } -WhatIf
        (Get-KafkaTopicConfig -Name $script:configured -ConfigName 'retention.ms').IsDefault | Should -BeTrue
    }

    It 'sets and removes a config for topics piped from Get-KafkaTopic' {
        Get-KafkaTopic -Name $script:configured | Set-KafkaTopicConfig -Set @{ 'retention.ms' = '7200000' } -Confirm:$false
        (Get-KafkaTopicConfig -Name $script:configured -ConfigName 'retention.ms').Value | Should -Be '7200000'
        Set-KafkaTopicConfig -Name $script:configured -Remove 'retention.ms' -Confirm:$false
        (Get-KafkaTopicConfig -Name $script:configured -ConfigName 'retention.ms').IsDefault | Should -BeTrue
    }

    It 'fails with NoConfigChange when neither -Set nor -Remove is given' {
        { Set-KafkaTopicConfig -Name $script:configured -Confirm:$false } |
            Should -Throw -ErrorId 'NoConfigChange,KafkaCatalog.PowerShell.Cmdlets.SetKafkaTopicConfigCommand'
    }

    It 'reports InvalidConfig for an unknown config name and changes nothing' {
        { Set-KafkaTopicConfig -Name $script:configured -Set @{ 'no.such.config' = '1' } -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidConfig,*'
        (Get-KafkaTopicConfig -Name $script:configured -ConfigName 'no.such.config') | Should -BeNullOrEmpty
    }
}

Describe 'Get-KafkaTopicOffset' {
    It 'returns one KafkaTopicOffset per partition with the watermarks' {
        $offsets = @(Get-KafkaTopicOffset -Name orders)
        $offsets.Count | Should -Be 6
        $offsets[0].GetType().Name | Should -Be 'KafkaTopicOffset'
        ($offsets | Measure-Object HighWatermark -Sum).Sum | Should -BeGreaterThan 0
        $offsets | ForEach-Object { $_.HighWatermark | Should -BeGreaterOrEqual $_.LowWatermark }
    }

    It 'takes topics from the pipeline' {
        $offsets = @(Get-KafkaTopic -Name 'payments', 'tmp-scratch' | Get-KafkaTopicOffset)
        $offsets.Count | Should -Be 4
    }

    It 'writes TopicNotFound for an unknown topic' {
        Get-KafkaTopicOffset -Name no-such-topic -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TopicNotFound,*'
    }
}

Describe 'Remove-KafkaTopic' {
    It 'removes nothing with -WhatIf' {
        $name = New-TestTopicName -Prefix rm
        New-KafkaTopic -Name $name -Partitions 1 -Confirm:$false
        Remove-KafkaTopic -Name $name -WhatIf
        (Get-KafkaTopic -Name $name).Name | Should -Be $name
    }

    It 'removes a topic with -Force and returns it with -PassThru' {
        $name = New-TestTopicName -Prefix rm
        New-KafkaTopic -Name $name -Partitions 1 -Confirm:$false
        $removed = Remove-KafkaTopic -Name $name -Force -PassThru
        $removed.Name | Should -Be $name
        Get-KafkaTopic -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes topics piped from Get-KafkaTopic' {
        $prefix = New-TestTopicName -Prefix rmpipe
        New-KafkaTopic -Name "$prefix-1" -Partitions 1 -Confirm:$false
        New-KafkaTopic -Name "$prefix-2" -Partitions 1 -Confirm:$false
        Get-KafkaTopic -Name "$prefix-*" | Remove-KafkaTopic -Force
        @(Get-KafkaTopic -Name "$prefix-*").Count | Should -Be 0
    }

    It 'writes TopicNotFound for an unknown topic and removes nothing else' {
        $before = @(Get-KafkaTopic).Count
        Remove-KafkaTopic -Name no-such-topic -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaTopicCommand'
        @(Get-KafkaTopic).Count | Should -Be $before
    }
}
