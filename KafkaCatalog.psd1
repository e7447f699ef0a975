@{
    RootModule           = 'KafkaCatalog.PowerShell.dll'
    # Imported first: sets up the load context for dependencies/ before the cmdlet assembly is read.
    NestedModules        = @('KafkaCatalog.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b8e3a52-4f0c-4d8e-9a61-2f7c1e0d9b43'
    Author               = 'KafkaCatalog contributors'
    CompanyName          = 'KafkaCatalog'
    Copyright            = '(c) KafkaCatalog contributors. MIT License.'
    Description          = 'Administer Apache Kafka clusters (topics, partitions, configs, consumer groups, offsets and lag, ACLs, messages) with typed objects that chain, publish them into the Atlan data catalog and wire topics into Imply Polaris ingestion.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'KafkaCatalog.Kafka.format.ps1xml'
        'KafkaCatalog.Catalog.format.ps1xml'
        'KafkaCatalog.Polaris.format.ps1xml'
        'KafkaCatalog.Partitions.format.ps1xml'
        'KafkaCatalog.TopicState.format.ps1xml'
    )
    CmdletsToExport      = @(
        'Add-KafkaAcl'
        'Add-KafkaPartition'
        'Compare-KafkaTopic'
        'Connect-Catalog'
        'Connect-KafkaCluster'
        'Connect-Polaris'
        'Disconnect-KafkaCluster'
        'Get-CatalogKafkaAsset'
        'Get-KafkaAcl'
        'Get-KafkaBroker'
        'Get-KafkaBrokerConfig'
        'Get-KafkaCluster'
        'Get-KafkaConnection'
        'Get-KafkaConsumerGroup'
        'Get-KafkaConsumerGroupOffset'
        'Get-KafkaTopic'
        'Get-KafkaTopicConfig'
        'Get-KafkaTopicOffset'
        'Get-KafkaUserScramCredential'
        'Get-PolarisIngestionJob'
        'Get-PolarisKafkaConnection'
        'Invoke-KafkaLeaderElection'
        'New-CatalogKafkaConnection'
        'New-KafkaTopic'
        'New-PolarisKafkaConnection'
        'Publish-CatalogKafkaAsset'
        'Publish-KafkaMessage'
        'Receive-KafkaMessage'
        'Remove-CatalogKafkaAsset'
        'Remove-KafkaAcl'
        'Remove-KafkaConsumerGroup'
        'Remove-KafkaRecord'
        'Remove-KafkaTopic'
        'Remove-KafkaUserScramCredential'
        'Remove-PolarisKafkaConnection'
        'Reset-KafkaConsumerGroupOffset'
        'Set-KafkaBrokerConfig'
        'Set-KafkaTopicConfig'
        'Set-KafkaUserScramCredential'
        'Set-PolarisKafkaConnection'
        'Start-PolarisIngestionJob'
        'Stop-PolarisIngestionJob'
        'Sync-CatalogKafkaAsset'
        'Sync-KafkaTopic'
        'Test-KafkaCluster'
        'Test-PolarisConnection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kafka', 'ApacheKafka', 'Atlan', 'DataCatalog', 'Polaris', 'Imply', 'Admin', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/kafkacatalog/KafkaCatalog'
            LicenseUri   = 'https://github.com/kafkacatalog/KafkaCatalog/blob/main/LICENSE'
            ReleaseNotes = 'First release: connections, topics, TestKit sandbox.'
        }
    }
}
