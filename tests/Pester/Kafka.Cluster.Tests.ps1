# Get-KafkaCluster, Get-KafkaBroker, Get-KafkaBrokerConfig and Set-KafkaBrokerConfig against the
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
