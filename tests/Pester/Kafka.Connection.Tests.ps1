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
