# Connect-Catalog, New-CatalogKafkaConnection, Publish/Get/Sync/Remove-CatalogKafkaAsset against the
# TestKit Atlan emulator, fed from the seeded Kafka sandbox.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -Atlan
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-catalog
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Connect-Catalog' {
    It 'opens a catalog session and keeps the token out of the object' {
        $catalog = Connect-Catalog -BaseUri $script:sandbox.AtlanBaseUri -ApiToken $script:sandbox.AtlanApiToken
        $catalog.GetType().Name | Should -Be 'CatalogConnection'
        $plain = [pscredential]::new('token', $script:sandbox.AtlanApiToken).GetNetworkCredential().Password
        ($catalog | Out-String) | Should -Not -Match ([regex]::Escape($plain))
        ($catalog | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match ([regex]::Escape($plain))
    }

    It 'fails with CatalogInvalidBaseUri for an address that is not http(s)' {
        { Connect-Catalog -BaseUri 'ftp://catalog.example' -ApiToken $script:sandbox.AtlanApiToken } |
            Should -Throw -ErrorId 'CatalogInvalidBaseUri,*'
    }

    It 'fails with CatalogAuthenticationFailed for a wrong token' {
        $wrong = ConvertTo-SecureString 'not-the-token' -AsPlainText -Force
        { Connect-Catalog -BaseUri $script:sandbox.AtlanBaseUri -ApiToken $wrong } |
            Should -Throw -ErrorId 'CatalogAuthenticationFailed,*'
    }
}

Describe 'New-CatalogKafkaConnection' {
    BeforeAll {
        Connect-Catalog -BaseUri $script:sandbox.AtlanBaseUri -ApiToken $script:sandbox.AtlanApiToken | Out-Null
    }

    It 'creates nothing with -WhatIf' {
        New-CatalogKafkaConnection -Name pester-whatif -AdminRole '$admin' -WhatIf | Should -BeNullOrEmpty
    }

    It 'fails with CatalogUserNotFound for an admin user the catalog does not have, and creates nothing' {
        { New-CatalogKafkaConnection -Name pester-bad-admin -AdminUser no-such-user -Confirm:$false } |
            Should -Throw -ErrorId 'CatalogUserNotFound,KafkaCatalog.PowerShell.Cmdlets.Catalog.NewCatalogKafkaConnectionCommand'
        { New-CatalogKafkaConnection -Name pester-bad-admin -AdminGroup no-such-group -Confirm:$false } |
            Should -Throw -ErrorId 'CatalogGroupNotFound,KafkaCatalog.PowerShell.Cmdlets.Catalog.NewCatalogKafkaConnectionCommand'
        New-CatalogKafkaConnection -Name pester-bad-admin -AdminRole '$admin' -WhatIf | Should -BeNullOrEmpty
    }

    It 'creates a Kafka connection and reuses it the second time' {
        $script:connection = New-CatalogKafkaConnection -Name pester-kafka -AdminRole '$admin' -Confirm:$false
        $script:connection.GetType().Name | Should -Be 'CatalogKafkaConnection'
        $script:connection.QualifiedName | Should -BeLike 'default/kafka/*'
        $script:connection.Reused | Should -BeFalse
        $again = New-CatalogKafkaConnection -Name pester-kafka -AdminRole '$admin' -Confirm:$false
        $again.QualifiedName | Should -Be $script:connection.QualifiedName
        $again.Reused | Should -BeTrue
    }
}

Describe 'Publish-CatalogKafkaAsset' {
    It 'publishes nothing with -WhatIf and shows the request it would send' {
        $output = @(Get-KafkaTopic -Name orders | Publish-CatalogKafkaAsset -WhatIf)
        $payload = $output | Where-Object { $_ -is [string] }
        $payload | Should -Not -BeNullOrEmpty
        ($payload | ConvertFrom-Json).entities[0].attributes.name | Should -Be 'orders'
        @(Get-CatalogKafkaAsset -Name orders -AssetType Topic -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'publishes the topics piped from Get-KafkaTopic' {
        $results = @(Get-KafkaTopic | Publish-CatalogKafkaAsset -Description 'from pester' -Confirm:$false)
        $results.Count | Should -BeGreaterOrEqual 4
        $results[0].GetType().Name | Should -Be 'CatalogAssetResult'
        $results | ForEach-Object { "$($_.Status)" | Should -Be 'Created' }
    }

    It 'publishes the consumer groups after their topics' {
        $results = @(Get-KafkaConsumerGroup | Publish-CatalogKafkaAsset -Confirm:$false)
        $results.Name | Should -Contain 'orders-processor'
        $results | ForEach-Object { "$($_.Status)" | Should -Not -Be 'Failed' }
    }

    It 'links an Empty group to the topics of its committed offsets, as kafka-consumer-groups shows them' {
        $group = Get-KafkaConsumerGroup -GroupId orders-processor
        $group.State | Should -Be 'Empty'
        $group.Topics | Should -Be @('orders')
        $asset = Get-CatalogKafkaAsset -Name orders-processor -AssetType ConsumerGroup
        $asset.TopicNames | Should -Be @('orders')
        $asset.TopicQualifiedNames | Should -Be @("$($script:connection.QualifiedName)/topic/orders")
    }

    It 'sends the record count from the watermarks with -IncludeMessageCount and never a size' {
        $topic = Get-KafkaTopic -Name orders -IncludeMessageCount
        $topic.MessageCount | Should -Be 120
        $topic.PSObject.Properties.Name | Should -Not -Contain 'SizeInBytes'
        $payload = $topic | Publish-CatalogKafkaAsset -AsPayload | ConvertFrom-Json
        $payload.entities[0].attributes.kafkaTopicRecordCount | Should -Be 120
        $payload.entities[0].attributes.PSObject.Properties.Name | Should -Not -Contain 'kafkaTopicSizeInBytes'
    }

    It 'maps cleanup.policy compact,delete to the full policy and clears the one-value enum' {
        $payload = Get-KafkaTopic -Name clicks -IncludeConfig | Publish-CatalogKafkaAsset -AsPayload | ConvertFrom-Json
        $payload.entities[0].attributes.kafkaTopicLogCleanupPolicy | Should -Be 'compact,delete'
        $payload.entities[0].attributes.kafkaTopicCleanupPolicy | Should -BeNullOrEmpty
    }

    It 'refuses a connection object without a catalog session at parameter binding, and sends nothing' {
        # A CatalogKafkaConnection that did not come from a catalog session (built by hand).
        $bare = [Activator]::CreateInstance($script:connection.GetType())
        $before = @(Get-CatalogKafkaAsset -AssetType Topic).Count
        { Get-KafkaTopic -Name payments | Publish-CatalogKafkaAsset -CatalogConnection $bare -Confirm:$false } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,KafkaCatalog.PowerShell.Cmdlets.Catalog.PublishCatalogKafkaAssetCommand'
        @(Get-CatalogKafkaAsset -AssetType Topic).Count | Should -Be $before
    }

    It 'takes the connection object of New-CatalogKafkaConnection as -CatalogConnection, as the README does' {
        $conn = New-CatalogKafkaConnection -Name pester-kafka -AdminRole '$admin' -Confirm:$false
        $results = @(Get-KafkaTopic -Name payments | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false)
        $results.Count | Should -Be 1
        "$($results[0].Status)" | Should -Not -Be 'Failed'
        $results[0].ConnectionQualifiedName | Should -Be $conn.QualifiedName
        $summary = @(Sync-CatalogKafkaAsset -CatalogConnection $conn -AssetType Topic -WhatIf) | Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }
        $summary.ConnectionQualifiedName | Should -Be $conn.QualifiedName
    }

    It 'emits the bulk request JSON with -AsPayload and sends nothing' {
        $json = Get-KafkaTopic -Name payments | Publish-CatalogKafkaAsset -AsPayload
        $json | Should -BeOfType ([string])
        ($json | ConvertFrom-Json).entities[0].typeName | Should -Be 'KafkaTopic'
    }

    It 'fails with CatalogInvalidConnectionQualifiedName for a malformed -ConnectionQualifiedName' {
        { Get-KafkaTopic -Name orders | Publish-CatalogKafkaAsset -ConnectionQualifiedName 'not a qualified name' -Confirm:$false } |
            Should -Throw -ErrorId 'CatalogInvalidConnectionQualifiedName,*'
    }
}

Describe 'Get-CatalogKafkaAsset' {
    It 'returns the published topics with their Kafka metadata' {
        $orders = Get-CatalogKafkaAsset -Name orders -AssetType Topic
        $orders.GetType().Name | Should -Be 'CatalogKafkaAsset'
        $orders.PartitionCount | Should -Be 6
        $orders.Description | Should -Be 'from pester'
        $orders.Status | Should -Be 'ACTIVE'
    }

    It 'returns consumer groups with -AssetType ConsumerGroup' {
        $groups = @(Get-CatalogKafkaAsset -AssetType ConsumerGroup)
        $groups.Name | Should -Contain 'orders-processor'
    }

    It 'takes the connection from New-CatalogKafkaConnection by property name' {
        $assets = @(New-CatalogKafkaConnection -Name pester-kafka -AdminRole '$admin' -Confirm:$false | Get-CatalogKafkaAsset -AssetType Topic)
        $assets.Name | Should -Contain 'payments'
    }

    It 'rejects an asset type outside the set at parameter binding' {
        { Get-CatalogKafkaAsset -AssetType Table } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.Catalog.GetCatalogKafkaAssetCommand'
    }
}

Describe 'Sync-CatalogKafkaAsset' {
    It 'syncs a piped subset only: nothing outside it is archived' {
        $output = @(Get-KafkaTopic -Name 'orders', 'payments' | Sync-CatalogKafkaAsset -Confirm:$false)
        $summary = $output | Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }
        $summary.Archived | Should -Be 0
        $summary.Failed | Should -Be 0
        @($output | Where-Object { $_.GetType().Name -eq 'CatalogAssetResult' }).Name | Sort-Object | Should -Be @('orders', 'payments')
        (Get-CatalogKafkaAsset -Name clicks -AssetType Topic).Status | Should -Be 'ACTIVE'
        (Get-CatalogKafkaAsset -Name orders-processor -AssetType ConsumerGroup).Status | Should -Be 'ACTIVE'
    }

    It 'lists every archive under -WhatIf -ArchiveMissing and changes nothing' {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "pester-sync-$([guid]::NewGuid().ToString('N')).txt"
        Start-Transcript -Path $transcript | Out-Null
        try {
            $summary = @(Get-KafkaTopic -Name 'orders' | Sync-CatalogKafkaAsset -AssetType Topic -ArchiveMissing -WhatIf) |
                Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $summary.IsWhatIf | Should -BeTrue
        $summary.Archived | Should -BeGreaterThan 0
        $listed = @(Get-Content $transcript | Where-Object { $_ -match '^What if: .*"Archive KafkaTopic ' })
        $listed.Count | Should -Be $summary.Archived
        ($listed -join "`n") | Should -Match "Archive KafkaTopic 'clicks'"
        (Get-CatalogKafkaAsset -Name clicks -AssetType Topic).Status | Should -Be 'ACTIVE'
        Remove-Item $transcript
    }

    It 'archives what is missing from the input with -ArchiveMissing -Force' {
        New-KafkaTopic -Name pester-sync-stale -Partitions 1 -Confirm:$false
        Get-KafkaTopic -Name pester-sync-stale | Publish-CatalogKafkaAsset -Confirm:$false | Out-Null
        # The input (orders) is declared complete for the topics -Topic names: pester-sync-stale,
        # still in the cluster but not piped in, is archived; nothing outside -Topic is touched.
        $output = @(Get-KafkaTopic -Name orders | Sync-CatalogKafkaAsset -Topic 'orders', 'pester-sync-*' -AssetType Topic -ArchiveMissing -Force)
        ($output | Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }).Archived | Should -Be 1
        (Get-CatalogKafkaAsset -Name pester-sync-stale -AssetType Topic -IncludeArchived).Status | Should -Be 'DELETED'
        (Get-CatalogKafkaAsset -Name orders -AssetType Topic).Status | Should -Be 'ACTIVE'
        Remove-KafkaTopic -Name pester-sync-stale -Force
    }

    It 'archives the topics that are gone from the cluster when it reads the whole cluster itself' {
        New-KafkaTopic -Name pester-sync-gone -Partitions 1 -Confirm:$false
        Get-KafkaTopic -Name pester-sync-gone | Publish-CatalogKafkaAsset -Confirm:$false | Out-Null
        Remove-KafkaTopic -Name pester-sync-gone -Force
        $output = @(Sync-CatalogKafkaAsset -AssetType Topic -Force)
        $summary = $output | Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }
        $summary.Archived | Should -Be 1
        $summary.Failed | Should -Be 0
        (Get-CatalogKafkaAsset -Name pester-sync-gone -AssetType Topic -IncludeArchived).Status | Should -Be 'DELETED'
    }

    It 'reads the topics from the Kafka session when nothing is piped in' {
        $output = @(Sync-CatalogKafkaAsset -AssetType Topic -Confirm:$false)
        $summary = $output | Where-Object { $_.GetType().Name -eq 'CatalogSyncSummary' }
        $summary.Failed | Should -Be 0
        $summary.Archived | Should -Be 0
        (Get-CatalogKafkaAsset -Name orders -AssetType Topic).Status | Should -Be 'ACTIVE'
    }

    It 'fails with CatalogSyncNoInventory without piped input or a Kafka connection and archives nothing' {
        Disconnect-KafkaCluster -Name pester-catalog
        try {
            { Sync-CatalogKafkaAsset -AssetType Topic -Confirm:$false -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'CatalogSyncNoInventory,KafkaCatalog.PowerShell.Cmdlets.Catalog.SyncCatalogKafkaAssetCommand'
        }
        finally {
            $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-catalog
        }
        (Get-CatalogKafkaAsset -Name orders -AssetType Topic).Status | Should -Be 'ACTIVE'
    }
}

Describe 'Remove-CatalogKafkaAsset' {
    It 'archives nothing with -WhatIf' {
        Get-CatalogKafkaAsset -Name tmp-scratch -AssetType Topic | Remove-CatalogKafkaAsset -WhatIf
        (Get-CatalogKafkaAsset -Name tmp-scratch -AssetType Topic).Status | Should -Be 'ACTIVE'
    }

    It 'archives an asset piped from Get-CatalogKafkaAsset' {
        $result = Get-CatalogKafkaAsset -Name tmp-scratch -AssetType Topic | Remove-CatalogKafkaAsset -Force
        "$($result.Status)" | Should -Be 'Archived'
        Get-CatalogKafkaAsset -Name tmp-scratch -AssetType Topic -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-CatalogKafkaAsset -Name tmp-scratch -AssetType Topic -IncludeArchived).Status | Should -Be 'DELETED'
    }

    It 'writes CatalogAssetNotFound for a qualified name the catalog does not have' {
        Remove-CatalogKafkaAsset -QualifiedName "$($script:connection.QualifiedName)/topic/no-such-topic" -TypeName KafkaTopic -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'CatalogAssetNotFound,KafkaCatalog.PowerShell.Cmdlets.Catalog.RemoveCatalogKafkaAssetCommand'
    }
}
