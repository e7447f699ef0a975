# Get-KafkaCluster, Get-KafkaBroker, Get-KafkaBrokerConfig, Set-KafkaBrokerConfig and Test-KafkaCluster against the
# TestKit sandbox (three brokers).

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-cluster
    $script:brokerId = (Get-KafkaBroker | Sort-Object BrokerId | Select-Object -First 1).BrokerId
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-KafkaCluster' {
    It 'describes the cluster with its brokers and controller' {
        $cluster = Get-KafkaCluster
        $cluster.GetType().Name | Should -Be 'KafkaCluster'
        $cluster.ClusterId | Should -Not -BeNullOrEmpty
        $cluster.Brokers.Count | Should -Be 3
        $cluster.Brokers.BrokerId | Should -Contain $cluster.ControllerId
        $cluster.ConnectionName | Should -Be 'pester-cluster'
    }

    It 'uses the connection given with -Connection' {
        (Get-KafkaCluster -Connection $script:kafka).ClusterId | Should -Be (Get-KafkaCluster).ClusterId
    }
}

Describe 'Get-KafkaBroker' {
    It 'lists every broker as a KafkaBroker' {
        $brokers = @(Get-KafkaBroker)
        $brokers.Count | Should -Be 3
        $brokers | ForEach-Object { $_.GetType().FullName | Should -Be 'KafkaCatalog.Core.Kafka.KafkaBroker' }
        $brokers.Host | Should -Not -Contain $null
        @($brokers | Where-Object IsController).Count | Should -Be 1
    }

    It 'filters by broker id' {
        $broker = Get-KafkaBroker -BrokerId $script:brokerId
        $broker.BrokerId | Should -Be $script:brokerId
    }

    It 'writes BrokerNotFound for an id that is not in the cluster' {
        $result = Get-KafkaBroker -BrokerId 999 -ErrorAction SilentlyContinue -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BrokerNotFound,*'
    }
}

Describe 'Get-KafkaBrokerConfig' {
    It 'returns the broker configs as KafkaConfigEntry objects' {
        $configs = @(Get-KafkaBrokerConfig -BrokerId $script:brokerId)
        $configs.Count | Should -BeGreaterThan 0
        $configs[0].GetType().Name | Should -Be 'KafkaConfigEntry'
        $configs.Name | Should -Contain 'log.retention.ms'
    }

    It 'filters by config name and takes brokers from the pipeline' {
        $entries = @(Get-KafkaBroker -BrokerId $script:brokerId | Get-KafkaBrokerConfig -ConfigName 'log.retention.*')
        $entries.Count | Should -BeGreaterThan 0
        $entries | ForEach-Object { $_.Name | Should -BeLike 'log.retention.*' }
    }
}

Describe 'Set-KafkaBrokerConfig' {
    It 'changes nothing with -WhatIf' {
        $before = (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value
        Set-KafkaBrokerConfig -BrokerId $script:brokerId -Set @{ 'log.retention.ms' = '3600000' } -WhatIf
        (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value | Should -Be $before
    }

    It 'sets and then removes a dynamic broker config' {
        $entry = Set-KafkaBrokerConfig -BrokerId $script:brokerId -Set @{ 'log.retention.ms' = '86400000' } -PassThru -Confirm:$false
        ($entry | Where-Object Name -eq 'log.retention.ms').Value | Should -Be '86400000'
        (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value | Should -Be '86400000'
        Set-KafkaBrokerConfig -BrokerId $script:brokerId -Remove 'log.retention.ms' -Confirm:$false
        (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value | Should -Not -Be '86400000'
    }

    It 'fails with NoConfigChange when neither -Set nor -Remove is given' {
        { Set-KafkaBrokerConfig -BrokerId $script:brokerId -Confirm:$false } |
            Should -Throw -ErrorId 'NoConfigChange,KafkaCatalog.PowerShell.Cmdlets.SetKafkaBrokerConfigCommand'
    }

    It 'fails with ConflictingConfigChange when one name is both set and removed, and changes nothing' {
        $before = (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value
        { Set-KafkaBrokerConfig -BrokerId $script:brokerId -Set @{ 'log.retention.ms' = '1000' } -Remove 'log.retention.ms' -Confirm:$false } |
            Should -Throw -ErrorId 'ConflictingConfigChange,*'
        (Get-KafkaBrokerConfig -BrokerId $script:brokerId -ConfigName 'log.retention.ms').Value | Should -Be $before
    }
}

Describe 'Test-KafkaCluster' {
    It 'emits one KafkaHealthCheck per check, in order, with a status and a message' {
        $checks = @(Test-KafkaCluster)
        $checks.Check | Should -Be @('BrokersReachable', 'ControllerPresent', 'OfflinePartitions', 'UnderReplicatedPartitions',
            'UnderMinIsrPartitions', 'PreferredLeaderImbalance', 'GroupsLaggingWithoutMembers', 'CommittedOffsetsBelowLogStart')
        $checks | ForEach-Object {
            $_.GetType().FullName | Should -Be 'KafkaCatalog.Core.Kafka.Health.KafkaHealthCheck'
            $_.Status.ToString() | Should -BeIn @('Pass', 'Warning', 'Fail')
            $_.Message | Should -Not -BeNullOrEmpty
            $_.ConnectionName | Should -Be 'pester-cluster'
        }
        ($checks | Where-Object Check -eq 'BrokersReachable').Status | Should -Be 'Pass'
        ($checks | Where-Object Check -eq 'ControllerPresent').Status | Should -Be 'Pass'
        ($checks | Where-Object Check -eq 'OfflinePartitions').Status | Should -Be 'Pass'
        # The sandbox seeds orders-processor with lag and no members.
        $idle = $checks | Where-Object Check -eq 'GroupsLaggingWithoutMembers'
        $idle.Status | Should -Be 'Warning'
        $idle.Items.GroupId | Should -Contain 'orders-processor'
    }

    It 'fails UnderMinIsrPartitions for a topic whose min.insync.replicas exceeds its in-sync replicas, and -Quiet is then False' {
        $name = New-TestTopicName 'minisr'
        New-KafkaTopic -Name $name -Partitions 2 -ReplicationFactor 3 -Config @{ 'min.insync.replicas' = '4' } -Confirm:$false | Out-Null
        try {
            $check = Test-KafkaCluster -Check UnderMinIsrPartitions
            $check.Status | Should -Be 'Fail'
            @($check.Items | Where-Object Topic -eq $name).Count | Should -Be 2
            ($check.Items | Where-Object Topic -eq $name)[0].MinInSyncReplicas | Should -Be 4
            Test-KafkaCluster -Check UnderMinIsrPartitions -Quiet | Should -BeFalse
        }
        finally {
            Remove-KafkaTopic -Name $name -Force
        }
        Test-KafkaCluster -Check UnderMinIsrPartitions -Quiet | Should -BeTrue
    }

    It 'reports an offline partition (Fail), a shrunk ISR (Warning) and a committed offset below the log start (Warning, no members), put in place with the sandbox commands' {
        $name = New-TestTopicName 'health'
        New-KafkaTopic -Name $name -Partitions 2 -ReplicationFactor 3 -Confirm:$false | Out-Null
        $group = "pester-health-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        try {
            1..10 | ForEach-Object { "v$_" } | Publish-KafkaMessage -Topic $name -Partition 0 -Confirm:$false | Out-Null
            Reset-KafkaConsumerGroupOffset -GroupId $group -Topic $name -Partition 0 -ToOffset 2 -Force | Out-Null
            (Test-KafkaCluster -Check OfflinePartitions, UnderReplicatedPartitions, CommittedOffsetsBelowLogStart).Status | Should -Be @('Pass', 'Pass', 'Pass')

            Send-TestSandboxCommand $script:sandbox "offline-partition $name 1" | Should -BeLike "ok $name``[1``] leader -1,*"
            $offline = Test-KafkaCluster -Check OfflinePartitions
            $offline.Status | Should -Be 'Fail'
            @($offline.Items | Where-Object Topic -eq $name).Partition | Should -Be @(1)
            Test-KafkaCluster -Quiet | Should -BeFalse

            $preferred = (Get-KafkaTopic -Name $name).Partitions[0].Replicas[0]
            Send-TestSandboxCommand $script:sandbox "shrink-isr $name 0 $preferred" | Should -BeLike "ok $name``[0``]*isr ``[$preferred``]*"
            $under = Test-KafkaCluster -Check UnderReplicatedPartitions
            $under.Status | Should -Be 'Warning'
            @($under.Items | Where-Object Topic -eq $name).Partition | Should -Contain 0

            Send-TestSandboxCommand $script:sandbox "move-log-start $name 0 5" | Should -BeLike '*log start 5, high watermark 10'
            $lost = Test-KafkaCluster -Check CommittedOffsetsBelowLogStart
            $lost.Status | Should -Be 'Warning'
            $row = @($lost.Items | Where-Object GroupId -eq $group)
            $row.Count | Should -Be 1
            $row[0].CommittedOffset | Should -Be 2
            $row[0].LogStartOffset | Should -Be 5
        }
        finally {
            Send-TestSandboxCommand $script:sandbox "restore-partition $name 0" | Out-Null
            Send-TestSandboxCommand $script:sandbox "restore-partition $name 1" | Out-Null
            Remove-KafkaConsumerGroup -GroupId $group -Force -ErrorAction SilentlyContinue
            Remove-KafkaTopic -Name $name -Force
        }
        (Test-KafkaCluster -Check OfflinePartitions, UnderReplicatedPartitions).Status | Should -Be @('Pass', 'Pass')
    }

    It 'answers a bad sandbox health command with an error line and changes nothing' {
        Send-TestSandboxCommand $script:sandbox 'offline-partition no-such-topic 0' | Should -Be 'error no partition no-such-topic[0]'
        (Test-KafkaCluster -Check OfflinePartitions).Status | Should -Be 'Pass'
    }

    It 'returns one bool with -Quiet that is True exactly when no check fails' {
        $result = @(Test-KafkaCluster -Quiet)
        $result.Count | Should -Be 1
        $result[0] | Should -BeOfType [bool]
        $result[0] | Should -Be (-not (Test-KafkaCluster | Where-Object Status -eq 'Fail'))
    }

    It 'fails with InvalidHealthCheck for an unknown check name and sends nothing' {
        { Test-KafkaCluster -Check NoSuchCheck } |
            Should -Throw -ErrorId 'InvalidHealthCheck,KafkaCatalog.PowerShell.Cmdlets.TestKafkaClusterCommand'
    }

    It 'is one KafkaClusterUnreachable for a cluster that does not answer, and False with -Quiet' {
        $dead = Connect-KafkaCluster -BootstrapServer '127.0.0.1:1' -Name pester-dead-health -TimeoutSec 3 -SkipVerify
        try {
            { Test-KafkaCluster -Connection $dead } | Should -Throw -ErrorId 'KafkaClusterUnreachable,*'
            $quiet = Test-KafkaCluster -Connection $dead -Quiet -ErrorVariable err
            $quiet | Should -BeFalse
            $err | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-KafkaCluster -Name pester-dead-health
        }
    }
}
