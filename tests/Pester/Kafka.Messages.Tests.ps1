# Publish-KafkaMessage and Receive-KafkaMessage against the seeded sandbox (tmp-scratch holds 5
# seeded messages with a 'source' header), including the topic copy pipeline.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-messages
    $script:topic = New-TestTopicName -Prefix msg
    New-KafkaTopic -Name $script:topic -Partitions 1 -Confirm:$false
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Publish-KafkaMessage' {
    It 'publishes nothing with -WhatIf' {
        Publish-KafkaMessage -Topic $script:topic -Key k0 -Value 'never sent' -WhatIf
        (Get-KafkaTopicOffset -Name $script:topic).HighWatermark | Should -Be 0
    }

    It 'publishes one message and returns where it landed' {
        $result = Publish-KafkaMessage -Topic $script:topic -Key k1 -Value '{"id":1}' -Headers @{ source = 'pester' } -Confirm:$false
        $result.GetType().Name | Should -Be 'KafkaDeliveryResult'
        $result.Topic | Should -Be $script:topic
        $result.Partition | Should -Be 0
        $result.Offset | Should -Be 0
        $result.Key | Should -Be 'k1'
        (Get-KafkaTopicOffset -Name $script:topic).HighWatermark | Should -Be 1
    }

    It 'publishes every value piped in' {
        $results = @('a', 'b', 'c' | Publish-KafkaMessage -Topic $script:topic -Confirm:$false)
        $results.Count | Should -Be 3
        $results.Offset | Should -Be @(1, 2, 3)
        (Get-KafkaTopicOffset -Name $script:topic).HighWatermark | Should -Be 4
    }

    It 'writes TopicNotFound for an unknown topic' {
        Publish-KafkaMessage -Topic no-such-topic -Value v -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.PublishKafkaMessageCommand'
        Get-KafkaTopic -Name no-such-topic -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes PartitionNotFound for a partition the topic does not have and publishes nothing' {
        Publish-KafkaMessage -Topic $script:topic -Partition 7 -Value v -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PartitionNotFound,*'
        (Get-KafkaTopicOffset -Name $script:topic).HighWatermark | Should -Be 4
    }

    It 'writes HeadersInvalid for headers that are not a dictionary' {
        Publish-KafkaMessage -Topic $script:topic -Value v -Headers 5 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HeadersInvalid,*'
        (Get-KafkaTopicOffset -Name $script:topic).HighWatermark | Should -Be 4
    }
}

Describe 'Receive-KafkaMessage' {
    It 'reads the topic from the beginning as KafkaMessage objects' {
        $messages = @(Receive-KafkaMessage -Topic $script:topic -FromBeginning -MaxMessages 4)
        $messages.Count | Should -Be 4
        $messages[0].GetType().Name | Should -Be 'KafkaMessage'
        $messages[0].Key | Should -Be 'k1'
        $messages[0].Value | Should -Be '{"id":1}'
        ($messages[0].Headers | Where-Object Key -eq 'source').Value | Should -Be 'pester'
        $messages[1..3].Value | Should -Be @('a', 'b', 'c')
    }

    It 'reads from an offset of one partition' {
        $messages = @(Receive-KafkaMessage -Topic $script:topic -Partition 0 -Offset 2 -MaxMessages 2)
        $messages.Offset | Should -Be @(2, 3)
    }

    It 'takes the topic from Get-KafkaTopic by property name' {
        $messages = @(Get-KafkaTopic -Name tmp-scratch | Receive-KafkaMessage -FromBeginning -MaxMessages 5)
        $messages.Count | Should -Be 5
        $messages | ForEach-Object { $_.Topic | Should -Be 'tmp-scratch' }
    }

    It 'fails with TopicNotFound for an unknown topic' {
        { Receive-KafkaMessage -Topic no-such-topic -FromBeginning -MaxMessages 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'TopicNotFound,*'
    }

    It 'rejects a negative -MaxMessages at parameter binding' {
        { Receive-KafkaMessage -Topic $script:topic -FromBeginning -MaxMessages -1 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.ReceiveKafkaMessageCommand'
    }
}

Describe 'Copying a topic' {
    It 'copies values, timestamps and headers with Receive-KafkaMessage | Publish-KafkaMessage' {
        $copy = New-TestTopicName -Prefix copy
        New-KafkaTopic -Name $copy -Partitions 1 -Confirm:$false
        $source = @(Receive-KafkaMessage -Topic tmp-scratch -FromBeginning -MaxMessages 5)
        Receive-KafkaMessage -Topic tmp-scratch -FromBeginning -MaxMessages 5 | Publish-KafkaMessage -Topic $copy -Confirm:$false | Out-Null
        $copied = @(Receive-KafkaMessage -Topic $copy -FromBeginning -MaxMessages 5)
        $copied.Count | Should -Be 5
        $copied.Value | Should -Be @('scratch 0', 'scratch 1', 'scratch 2', 'scratch 3', 'scratch 4')
        $copied.Value | Should -Be $source.Value
        $copied.Timestamp | Should -Be $source.Timestamp
        $copied | ForEach-Object { ($_.Headers | Where-Object Key -eq 'source').Value | Should -Be 'sandbox' }
    }
}

Describe 'Publish-KafkaMessage partitioning' {
    BeforeAll {
        $script:keyed = New-TestTopicName -Prefix keyed
        New-KafkaTopic -Name $script:keyed -Partitions 6 -Confirm:$false
        $script:crc = New-TestTopicName -Prefix crc
        New-KafkaTopic -Name $script:crc -Partitions 6 -Confirm:$false
    }

    It 'places keys with murmur2 as the Java client and kafka-python do' {
        $results = 'abc', 'order-1', 'order-3' | ForEach-Object { Publish-KafkaMessage -Topic $script:keyed -Key $_ -Value v -Confirm:$false }
        $results.Partition | Should -Be @(3, 4, 3)
        $read = @(Receive-KafkaMessage -Topic $script:keyed -FromBeginning -TimeoutSec 20)
        ($read | Where-Object Key -eq 'abc').Partition | Should -Be 3
    }

    It 'uses another librdkafka partitioner with -Partitioner' {
        $results = 'abc', 'order-1', 'order-3' | ForEach-Object { Publish-KafkaMessage -Topic $script:crc -Key $_ -Value v -Partitioner consistent_random -Confirm:$false }
        $results.Partition | Should -Be @(0, 1, 5)
    }

    It 'rejects a partitioner librdkafka does not have at parameter binding and publishes nothing' {
        $before = (Get-KafkaTopicOffset -Name $script:crc | Measure-Object HighWatermark -Sum).Sum
        { Publish-KafkaMessage -Topic $script:crc -Key abc -Value v -Partitioner crc32 -Confirm:$false } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.PublishKafkaMessageCommand'
        (Get-KafkaTopicOffset -Name $script:crc | Measure-Object HighWatermark -Sum).Sum | Should -Be $before
    }
}

Describe 'Receive-KafkaMessage -GroupId' {
    BeforeAll {
        $script:backlog = New-TestTopicName -Prefix backlog
        New-KafkaTopic -Name $script:backlog -Partitions 1 -Confirm:$false
        1..5 | ForEach-Object { "m$_" } | Publish-KafkaMessage -Topic $script:backlog -Confirm:$false | Out-Null
    }

    It 'reads from the start for a group without offsets with -AutoOffsetReset Earliest, and joins nothing' {
        $read = @(Receive-KafkaMessage -Topic $script:backlog -GroupId pester-new-group -AutoOffsetReset Earliest -TimeoutSec 20)
        $read.Value | Should -Be @('m1', 'm2', 'm3', 'm4', 'm5')
        @(Get-KafkaConsumerGroup -GroupId pester-new-group -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'writes GroupOffsetMissing with -AutoOffsetReset None for a partition without an offset' {
        Receive-KafkaMessage -Topic $script:backlog -GroupId pester-new-group -AutoOffsetReset None -TimeoutSec 5 -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'GroupOffsetMissing,KafkaCatalog.PowerShell.Cmdlets.ReceiveKafkaMessageCommand'
    }
}
