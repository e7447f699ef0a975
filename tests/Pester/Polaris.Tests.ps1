# Connect-Polaris, the Polaris Kafka connection cmdlets and the ingestion job cmdlets against the
# TestKit Polaris emulator, with topics from the seeded Kafka sandbox.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -Polaris
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-polaris
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Connect-Polaris' {
    It 'opens a Polaris session and keeps the API key out of the object' {
        $polaris = Connect-Polaris -BaseUri $script:sandbox.PolarisBaseUri -ApiKey $script:sandbox.PolarisApiKey -Name pester
        $polaris.GetType().Name | Should -Be 'PolarisConnection'
        $plain = [pscredential]::new('key', $script:sandbox.PolarisApiKey).GetNetworkCredential().Password
        ($polaris | Out-String) | Should -Not -Match ([regex]::Escape($plain))
        ($polaris | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match ([regex]::Escape($plain))
    }

    It 'fails with PolarisUnauthorized for a wrong key' {
        $wrong = ConvertTo-SecureString 'not-the-key' -AsPlainText -Force
        { Connect-Polaris -BaseUri $script:sandbox.PolarisBaseUri -ApiKey $wrong -Name pester-wrong } |
            Should -Throw -ErrorId 'PolarisUnauthorized,*'
    }

    It 'fails with PolarisInvalidBaseUri for an address that is not http(s)' {
        { Connect-Polaris -BaseUri 'ftp://polaris.example' -ApiKey $script:sandbox.PolarisApiKey -Name pester-ftp } |
            Should -Throw -ErrorId 'PolarisInvalidBaseUri,*'
    }
}

Describe 'Kafka connections in Polaris' {
    It 'creates nothing with -WhatIf' {
        Get-KafkaTopic -Name payments | New-PolarisKafkaConnection -Name pester-whatif -WhatIf
        Get-PolarisKafkaConnection -Name pester-whatif -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'creates a connection from a topic piped from Get-KafkaTopic' {
        $created = Get-KafkaTopic -Name payments | New-PolarisKafkaConnection -Name payments-kafka -Description 'payments from pester' -Confirm:$false
        $created.GetType().Name | Should -Be 'PolarisKafkaConnection'
        $created.TopicName | Should -Be 'payments'
        $created.BootstrapServers | Should -BeLike '127.0.0.1:*'
        (Get-PolarisKafkaConnection -Name payments-kafka).Description | Should -Be 'payments from pester'
    }

    It 'lists connections with wildcards' {
        @(Get-PolarisKafkaConnection -Name 'payments-*').Name | Should -Contain 'payments-kafka'
    }

    It 'tests a connection and returns a boolean' {
        $ok = Test-PolarisConnection -Name payments-kafka -WarningAction SilentlyContinue
        $ok | Should -BeOfType ([bool])
    }

    It 'writes PolarisConnectionNotFound when testing an unknown connection' {
        Test-PolarisConnection -Name no-such-connection -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'PolarisConnectionNotFound,KafkaCatalog.PowerShell.Cmdlets.Polaris.TestPolarisConnectionCommand'
    }

    It 'replaces a connection with Set-PolarisKafkaConnection and changes nothing with -WhatIf' {
        Set-PolarisKafkaConnection -Name payments-kafka -TopicName payments -KafkaConnection $script:kafka -Description 'not applied' -WhatIf
        (Get-PolarisKafkaConnection -Name payments-kafka).Description | Should -Be 'payments from pester'
        $replaced = Set-PolarisKafkaConnection -Name payments-kafka -TopicName payments -KafkaConnection $script:kafka -Description 'replaced' -Confirm:$false
        $replaced.Description | Should -Be 'replaced'
        (Get-PolarisKafkaConnection -Name payments-kafka).Description | Should -Be 'replaced'
    }

    It 'writes PolarisTopicMissing without a topic and creates nothing' {
        New-PolarisKafkaConnection -Name pester-no-topic -KafkaConnection $script:kafka -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'PolarisTopicMissing,KafkaCatalog.PowerShell.Cmdlets.Polaris.NewPolarisKafkaConnectionCommand'
        Get-PolarisKafkaConnection -Name pester-no-topic -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes nothing with -WhatIf, then removes the connection with -Force' {
        Remove-PolarisKafkaConnection -Name payments-kafka -WhatIf
        (Get-PolarisKafkaConnection -Name payments-kafka).Name | Should -Be 'payments-kafka'
        Remove-PolarisKafkaConnection -Name payments-kafka -Force
        Get-PolarisKafkaConnection -Name payments-kafka -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes PolarisConnectionNotFound when removing an unknown connection' {
        Remove-PolarisKafkaConnection -Name no-such-connection -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'PolarisConnectionNotFound,KafkaCatalog.PowerShell.Cmdlets.Polaris.RemovePolarisKafkaConnectionCommand'
    }
}

Describe 'Ingestion jobs' {
    It 'starts nothing with -WhatIf' {
        Get-KafkaTopic -Name orders | New-PolarisKafkaConnection -Name orders -Confirm:$false | Out-Null
        Start-PolarisIngestionJob -ConnectionName orders -TableName orders -CreateTable -WhatIf
        @(Get-PolarisIngestionJob -TableName orders).Count | Should -Be 0
    }

    It 'runs the pipeline Get-KafkaTopic | New-PolarisKafkaConnection | Start-PolarisIngestionJob' {
        $script:job = Get-KafkaTopic clicks | New-PolarisKafkaConnection -Name clicks | Start-PolarisIngestionJob -TableName clicks -CreateTable
        $script:job.GetType().Name | Should -Be 'PolarisIngestionJob'
        $script:job.JobId | Should -Not -BeNullOrEmpty
        $script:job.TableName | Should -Be 'clicks'
        $script:job.ConnectionName | Should -Be 'clicks'
        $script:job.CreateTableIfNotExists | Should -BeTrue
    }

    It 'starts a kafka-format job, which the emulator takes only with the field names of Druid KafkaInputFormat' {
        Get-KafkaTopic -Name payments | New-PolarisKafkaConnection -Name payments-meta -Confirm:$false | Out-Null
        $job = Start-PolarisIngestionJob -ConnectionName payments-meta -TableName payments_meta -CreateTable -Format Kafka `
            -InputSchema ([ordered]@{ paymentId = 'string' }) -Confirm:$false
        $job.Format | Should -Be 'kafka'
        $job | Stop-PolarisIngestionJob -Force | Out-Null
    }

    It 'writes PolarisTableNotFound for schema discovery into a table that does not exist, and starts nothing' {
        Start-PolarisIngestionJob -ConnectionName payments-meta -TableName no_such_table -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PolarisTableNotFound,*'
        @(Get-PolarisIngestionJob -TableName no_such_table).Count | Should -Be 0
    }

    It 'gets the job by id and by table' {
        (Get-PolarisIngestionJob -JobId $script:job.JobId).TableName | Should -Be 'clicks'
        @(Get-PolarisIngestionJob -TableName clicks).JobId | Should -Contain $script:job.JobId
    }

    It 'writes PolarisConnectionNotFound when starting a job on an unknown connection' {
        Start-PolarisIngestionJob -ConnectionName no-such-connection -TableName nothing -CreateTable -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PolarisConnectionNotFound,*'
        @(Get-PolarisIngestionJob -TableName nothing).Count | Should -Be 0
    }

    It 'writes PolarisJobNotFound for an unknown job id' {
        Get-PolarisIngestionJob -JobId 00000000-0000-0000-0000-000000000000 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'PolarisJobNotFound,KafkaCatalog.PowerShell.Cmdlets.Polaris.GetPolarisIngestionJobCommand'
    }

    It 'cancels nothing with -WhatIf, then cancels the job piped from Get-PolarisIngestionJob' {
        Stop-PolarisIngestionJob -JobId $script:job.JobId -WhatIf
        (Get-PolarisIngestionJob -JobId $script:job.JobId).DesiredExecutionStatus | Should -Not -BeLike 'cancel*'
        $stopped = Get-PolarisIngestionJob -JobId $script:job.JobId | Stop-PolarisIngestionJob -Force
        $stopped.JobId | Should -Be $script:job.JobId
        (Get-PolarisIngestionJob -JobId $script:job.JobId).DesiredExecutionStatus | Should -BeLike 'cancel*'
    }

    It 'writes PolarisJobNotFound when cancelling an unknown job' {
        Stop-PolarisIngestionJob -JobId 00000000-0000-0000-0000-000000000000 -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'PolarisJobNotFound,KafkaCatalog.PowerShell.Cmdlets.Polaris.StopPolarisIngestionJobCommand'
    }
}
