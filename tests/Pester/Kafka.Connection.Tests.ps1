# Connect-KafkaCluster, Get-KafkaConnection and Disconnect-KafkaCluster against the TestKit sandbox.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -NoSeed
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Connect-KafkaCluster' {
    It 'connects and returns a KafkaConnection that becomes the session default' {
        $connection = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-first
        $connection.GetType().Name | Should -Be 'KafkaConnection'
        $connection.Name | Should -Be 'pester-first'
        (Get-KafkaConnection -Default).Name | Should -Be 'pester-first'
    }

    It 'makes the last connection opened the default' {
        Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-second | Out-Null
        (Get-KafkaConnection -Default).Name | Should -Be 'pester-second'
        (Get-KafkaConnection -Name pester-first).Name | Should -Be 'pester-first'
    }

    It 'keeps the SASL password out of the connection object and its text' {
        $password = ConvertTo-SecureString 'pester-secret-value' -AsPlainText -Force
        $credential = [pscredential]::new('alice', $password)
        $connection = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-sasl -SecurityProtocol SaslPlaintext -SaslMechanism ScramSha256 -Credential $credential -SkipVerify
        ($connection | Out-String) | Should -Not -Match 'pester-secret-value'
        ($connection | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) | Should -Not -Match 'pester-secret-value'
        Disconnect-KafkaCluster -Name pester-sasl
    }

    It 'rejects a malformed bootstrap server with BootstrapServerInvalid and adds no connection' {
        $before = @(Get-KafkaConnection).Count
        { Connect-KafkaCluster -BootstrapServer 'broker:notaport' -Name pester-bad } |
            Should -Throw -ErrorId 'BootstrapServerInvalid,KafkaCatalog.PowerShell.Cmdlets.ConnectKafkaClusterCommand'
        @(Get-KafkaConnection).Count | Should -Be $before
    }

    It 'fails with KafkaClusterUnreachable when nothing listens on the address' {
        { Connect-KafkaCluster -BootstrapServer '127.0.0.1:1' -Name pester-dead -TimeoutSec 5 } |
            Should -Throw -ErrorId 'KafkaClusterUnreachable,*'
        Get-KafkaConnection -Name pester-dead -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-KafkaConnection' {
    It 'lists every open connection' {
        $names = Get-KafkaConnection | ForEach-Object Name
        $names | Should -Contain 'pester-first'
        $names | Should -Contain 'pester-second'
    }

    It 'filters by wildcard name' {
        $connections = @(Get-KafkaConnection -Name 'pester-f*')
        $connections.Count | Should -Be 1
        $connections[0].Name | Should -Be 'pester-first'
    }

    It 'writes KafkaConnectionNotFound for an unknown exact name' {
        $result = Get-KafkaConnection -Name no-such-connection -ErrorAction SilentlyContinue -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'KafkaConnectionNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaConnectionCommand'
    }
}

Describe 'Disconnect-KafkaCluster' {
    It 'closes a connection by name and returns it with -PassThru' {
        Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-closing | Out-Null
        $closed = Disconnect-KafkaCluster -Name pester-closing -PassThru
        $closed.Name | Should -Be 'pester-closing'
        Get-KafkaConnection -Name pester-closing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'takes connections from the pipeline' {
        Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-piped | Out-Null
        Get-KafkaConnection -Name pester-piped | Disconnect-KafkaCluster
        @(Get-KafkaConnection -Name 'pester-piped*').Count | Should -Be 0
    }

    It 'writes KafkaConnectionNotFound for an unknown name and closes nothing' {
        $before = @(Get-KafkaConnection).Count
        Disconnect-KafkaCluster -Name no-such-connection -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'KafkaConnectionNotFound,KafkaCatalog.PowerShell.Cmdlets.DisconnectKafkaClusterCommand'
        @(Get-KafkaConnection).Count | Should -Be $before
    }
}

Describe 'Connect-KafkaCluster -ProfilePath' {
    BeforeAll {
        $script:profiles = Join-Path ([IO.Path]::GetTempPath()) ("kc-pester-profiles-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:profiles | Out-Null
        $script:profileTopic = New-TestTopicName -Prefix mage
        Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-admin | Out-Null
        New-KafkaTopic -Name $script:profileTopic -Partitions 3 -Confirm:$false
    }

    AfterAll {
        Remove-Item -Recurse -Force $script:profiles -ErrorAction SilentlyContinue
    }

    It 'reads a Mage profile as Mage does: default topic, group, batching, and an unused block is only a warning' {
        $path = Join-Path $script:profiles 'mage.yaml'
        @(
            'connector_type: kafka'
            "bootstrap_server: `"$($script:sandbox.BootstrapServers)`""
            "topic: $($script:profileTopic)"
            'consumer_group: pester-mage'
            'auto_offset_reset: earliest'
            'batch_size: 16384'
            'timeout_ms: 20'
            'ssl_config:'
            '  cafile: ca.pem'
        ) | Set-Content -Path $path
        $conn = Connect-KafkaCluster -ProfilePath $path -Name pester-mage -WarningVariable warnings -WarningAction SilentlyContinue
        $conn.DefaultTopic | Should -Be $script:profileTopic
        $conn.ConsumerGroup | Should -Be 'pester-mage'
        ($warnings -join "`n") | Should -Match 'ssl_config is ignored'

        $sent = Publish-KafkaMessage -Connection $conn -Key k -Value 'from the profile' -Confirm:$false
        $sent.Topic | Should -Be $script:profileTopic

        # No -Topic, no start: where pester-mage would resume; it has no offsets, so auto_offset_reset earliest.
        $read = @(Receive-KafkaMessage -Connection $conn -TimeoutSec 20)
        $read.Count | Should -Be 1
        $read[0].Value | Should -Be 'from the profile'
        @(Get-KafkaConsumerGroup -Connection $conn -GroupId pester-mage -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'reads a librdkafka properties file as kcat -F does' {
        $path = Join-Path $script:profiles 'client.properties'
        @(
            '# kcat -F client.properties'
            "bootstrap.servers=$($script:sandbox.BootstrapServers)"
            '! a Java-style comment'
            'client.id=pester-properties'
            ''
        ) | Set-Content -Path $path
        $conn = Connect-KafkaCluster -ProfilePath $path -Name pester-properties -WarningVariable warnings
        $conn.ClientId | Should -Be 'pester-properties'
        $warnings.Count | Should -Be 0
        @((Get-KafkaTopic -Connection $conn -Name $script:profileTopic).Partitions).Count | Should -Be 3
    }

    It 'writes ProfileSyntaxError for a properties line without = and adds no connection' {
        $path = Join-Path $script:profiles 'broken.properties'
        "bootstrap.servers=$($script:sandbox.BootstrapServers)`nsecurity.protocol`n" | Set-Content -Path $path -NoNewline
        $before = @(Get-KafkaConnection).Count
        { Connect-KafkaCluster -ProfilePath $path -Name pester-broken } |
            Should -Throw -ErrorId 'ProfileSyntaxError,KafkaCatalog.PowerShell.Cmdlets.ConnectKafkaClusterCommand'
        @(Get-KafkaConnection).Count | Should -Be $before
    }

    It 'refuses AWS_MSK_IAM with ProfileUnsupportedAuth naming what works on MSK' {
        $path = Join-Path $script:profiles 'msk.yaml'
        "bootstrap_server: b-1.msk.example:9098`nsecurity_protocol: SASL_SSL`nsasl_config:`n  mechanism: AWS_MSK_IAM`n" | Set-Content -Path $path -NoNewline
        $err = $null
        try { Connect-KafkaCluster -ProfilePath $path -Name pester-msk } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ProfileUnsupportedAuth,KafkaCatalog.PowerShell.Cmdlets.ConnectKafkaClusterCommand'
        "$err" | Should -Match 'SCRAM-SHA-512'
        "$err" | Should -Match 'OAUTHBEARER'
        Get-KafkaConnection -Name pester-msk -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'checks kafka-python request_timeout_ms against socket.timeout.ms, the property it becomes' {
        $path = Join-Path $script:profiles 'kp.json'
        "{`"bootstrap_servers`": `"$($script:sandbox.BootstrapServers)`", `"request_timeout_ms`": 400000, `"metric_reporters`": []}" | Set-Content -Path $path
        { Connect-KafkaCluster -ProfilePath $path -Name pester-kp } |
            Should -Throw -ErrorId 'ProfileInvalidValue,KafkaCatalog.PowerShell.Cmdlets.ConnectKafkaClusterCommand'
        Get-KafkaConnection -Name pester-kp -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes ReceiveTopicMissing when neither -Topic nor the profile names a topic' {
        { Receive-KafkaMessage -BootstrapServer $script:sandbox.BootstrapServers -TimeoutSec 2 } |
            Should -Throw -ErrorId 'ReceiveTopicMissing,KafkaCatalog.PowerShell.Cmdlets.ReceiveKafkaMessageCommand'
    }
}
