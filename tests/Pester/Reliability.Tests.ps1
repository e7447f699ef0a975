# The session survives (issue 11), against the installed package: an unreachable cluster is one
# KafkaClusterUnreachable before any row; secrets given as librdkafka properties (-Property,
# profiles) appear in no stream, JSON, ToString or error; default connections are per runspace.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -NoSeed
    $script:saslPassword = 'Pq-sasl-password-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:sasl = Start-TestSandbox -NoSeed -ExtraArgument '--sasl-user', "alice:$($script:saslPassword)"

    function Get-ClosedPort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = $probe.LocalEndpoint.Port
        $probe.Stop()
        "127.0.0.1:$port"
    }
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sasl
    Stop-TestSandbox $script:sandbox
}

Describe 'A stopped cluster is one KafkaClusterUnreachable, not one error per row' {
    BeforeAll {
        $script:dead = Get-ClosedPort
        $script:deadConn = Connect-KafkaCluster -BootstrapServer $script:dead -Name pester-dead -TimeoutSec 2 -SkipVerify
        $script:csv = Join-Path ([IO.Path]::GetTempPath()) ("kc-pester-rows-" + [guid]::NewGuid().ToString('N') + '.csv')
        1..20 | ForEach-Object { [pscustomobject]@{ Name = "row-$_"; Partitions = 1; TotalCount = 4 } } | Export-Csv -Path $script:csv -NoTypeInformation
    }

    AfterAll { Remove-Item $script:csv -ErrorAction SilentlyContinue }

    It 'Import-Csv of 20 rows | <Command> fails once, naming the servers and the timeout, within one timeout' -ForEach @(
        @{ Command = 'New-KafkaTopic'; Script = { Import-Csv $script:csv | New-KafkaTopic -Connection $script:deadConn -Confirm:$false } }
        @{ Command = 'Set-KafkaTopicConfig'; Script = { Import-Csv $script:csv | Set-KafkaTopicConfig -Set @{ 'retention.ms' = '1000' } -Connection $script:deadConn -Confirm:$false } }
        @{ Command = 'Add-KafkaPartition'; Script = { Import-Csv $script:csv | Add-KafkaPartition -TotalCount 4 -Connection $script:deadConn -Confirm:$false } }
    ) {
        $Error.Clear()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $thrown = $null
        $out = try { & $Script -ErrorAction Continue } catch { $thrown = $_ }
        $watch.Stop()
        Write-Host "   $Command against a closed port: $($watch.ElapsedMilliseconds) ms"
        $out | Should -BeNullOrEmpty
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'KafkaClusterUnreachable,*'
        "$thrown" | Should -Match ([regex]::Escape($script:dead))
        "$thrown" | Should -Match 'within 2 s'
        # No per-row error: the only error of the run is the terminating one.
        @($Error | Where-Object { $_.FullyQualifiedErrorId -notlike 'KafkaClusterUnreachable,*' }).Count | Should -Be 0
        @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'KafkaClusterUnreachable,*' }).Count | Should -Be 1
        # A timeout per row would take 20 x 2 s; half of that is a bound only a hang or a per-row wait breaks.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
    }
}

Describe 'Secrets given as librdkafka properties appear nowhere' {
    BeforeAll {
        $script:secrets = @{
            ssl = 'Pq-ssl-key-password-4d1e'; keystore = 'Pq-keystore-password-8a2b'; oauth = 'Pq-oauth-client-secret-c3f9'
            customPassword = 'Pq-custom-password-5e7a'; customSecret = 'Pq-custom-secret-9b0d'; wrong = 'Pq-wrong-password-1f6c'
        }
        $script:profiles = Join-Path ([IO.Path]::GetTempPath()) ("kc-pester-secret-profiles-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:profiles | Out-Null

        # Runs $Script with every stream on and returns everything it wrote, every error record dumped.
        function Get-EverythingWritten([scriptblock] $Script) {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $ProgressPreference = 'Continue'
            $Error.Clear()
            $records = & { try { & $Script } catch { $_ } } *>&1
            $text = foreach ($r in $records) {
                if ($r -is [System.Management.Automation.ErrorRecord]) { $r | Format-List * -Force | Out-String; $r.Exception.ToString(); "$($r.TargetObject)" }
                elseif ($r -is [System.Management.Automation.ProgressRecord]) { "$($r.Activity) $($r.StatusDescription) $($r.CurrentOperation)" }
                else { $r | Out-String; "$r" }
            }
            $errors = foreach ($e in $Error) { $e | Format-List * -Force | Out-String; $e.Exception.ToString() }
            ($text + $errors) -join "`n"
        }

        function Show-Connection($conn) {
            $conn | Format-List * -Force | Out-String
            $conn | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            $conn.GetOptions() | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            $conn.GetOptions() | Format-List * -Force | Out-String
            $conn.ToString(); "$conn"; $conn.GetOptions().ToString()
        }
    }

    AfterAll { Remove-Item -Recurse -Force $script:profiles -ErrorAction SilentlyContinue }

    It 'holds -Property secrets (known keys and keys ending in password or secret) out of every stream, JSON, ToString and error' {
        $all = Get-EverythingWritten {
            $props = @{
                'sasl.username' = 'alice'; 'sasl.password' = $script:saslPassword
                'ssl.key.password' = $script:secrets.ssl; 'ssl.keystore.password' = $script:secrets.keystore
                'sasl.oauthbearer.client.secret' = $script:secrets.oauth
            }
            $conn = Connect-KafkaCluster -BootstrapServer $script:sasl.BootstrapServers -Name pester-secret-props -SecurityProtocol SaslPlaintext -SaslMechanism Plain -Property $props
            Show-Connection $conn
            New-KafkaTopic -Name pester-secret-topic -Partitions 1 -Connection $conn -Confirm:$false -PassThru | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Get-KafkaCluster -Connection $conn | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Publish-KafkaMessage -Connection $conn -Topic pester-secret-topic -Value hello | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Receive-KafkaMessage -Connection $conn -Topic pester-secret-topic -FromBeginning -MaxMessages 1 -TimeoutSec 30 | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue

            $custom = Connect-KafkaCluster -BootstrapServer $script:sasl.BootstrapServers -Name pester-secret-custom -Property @{ 'my.custom.password' = $script:secrets.customPassword; 'my.app.secret' = $script:secrets.customSecret } -SkipVerify
            Show-Connection $custom
            # InvalidKafkaClientSetting ends the command (a terminating error): caught here so the script goes on.
            try { Get-KafkaTopic -Connection $custom } catch { $_ }

            Connect-KafkaCluster -BootstrapServer $script:sasl.BootstrapServers -Name pester-secret-wrong -SecurityProtocol SaslPlaintext -SaslMechanism Plain -Property @{ 'sasl.username' = 'alice'; 'sasl.password' = $script:secrets.wrong } -TimeoutSec 10
        }
        $all | Should -Match 'pester-secret-topic'
        $all | Should -Match 'InvalidKafkaClientSetting'
        $all | Should -Match 'KafkaAuthenticationFailed'
        foreach ($value in @($script:saslPassword) + $script:secrets.Values) { $all | Should -Not -Match ([regex]::Escape($value)) }
    }

    It 'holds profile secrets (librdkafka properties, Mage, kafka-python) out of every stream, JSON, ToString and error' {
        $bs = $script:sasl.BootstrapServers
        @("bootstrap.servers=$bs", 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', 'sasl.username=alice', "sasl.password=$($script:saslPassword)",
            "ssl.keystore.password=$($script:secrets.keystore)", "sasl.oauthbearer.client.secret=$($script:secrets.oauth)",
            "my.custom.password=$($script:secrets.customPassword)") | Set-Content (Join-Path $script:profiles 'client.properties')
        @('connector_type: kafka', "bootstrap_server: `"$bs`"", 'security_protocol: SASL_PLAINTEXT', 'sasl_config:', '  mechanism: PLAIN', '  username: alice', "  password: $($script:saslPassword)") |
            Set-Content (Join-Path $script:profiles 'mage.yaml')
        "{`"bootstrap_servers`": `"$bs`", `"security_protocol`": `"SASL_PLAINTEXT`", `"sasl_mechanism`": `"PLAIN`", `"sasl_plain_username`": `"alice`", `"sasl_plain_password`": `"$($script:saslPassword)`"}" |
            Set-Content (Join-Path $script:profiles 'kp.json')
        @("bootstrap.servers=$bs", "ssl.key.password=$($script:secrets.ssl)") | Set-Content (Join-Path $script:profiles 'tls-key.properties')
        @("bootstrap.servers=$bs", 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', 'sasl.username=alice', "sasl.password=$($script:secrets.wrong)") |
            Set-Content (Join-Path $script:profiles 'wrong.properties')

        $all = Get-EverythingWritten {
            $p = Connect-KafkaCluster -ProfilePath (Join-Path $script:profiles client.properties) -Name pester-secret-profile-properties -SkipVerify
            Show-Connection $p
            try { Get-KafkaTopic -Connection $p } catch { $_ }
            foreach ($file in 'mage.yaml', 'kp.json') {
                $conn = Connect-KafkaCluster -ProfilePath (Join-Path $script:profiles $file) -Name "pester-secret-$file"
                Show-Connection $conn
                Get-KafkaCluster -Connection $conn | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            }
            try { Connect-KafkaCluster -ProfilePath (Join-Path $script:profiles tls-key.properties) -Name pester-secret-tls-key } catch { $_ }
            Connect-KafkaCluster -ProfilePath (Join-Path $script:profiles wrong.properties) -Name pester-secret-profile-wrong -TimeoutSec 10
        }
        $all | Should -Match 'InvalidKafkaClientSetting'
        $all | Should -Match 'KafkaAuthenticationFailed'
        $all | Should -Match 'TlsSettingsWithoutTls'
        $all | Should -Match 'BrokerCount|Brokers'
        foreach ($value in @($script:saslPassword) + $script:secrets.Values) { $all | Should -Not -Match ([regex]::Escape($value)) }
    }
}

Describe 'Default connections are per runspace' {
    It 'two runspaces at once each see only their own default' {
        $ready = [System.Threading.CountdownEvent]::new(2)
        $go = [System.Threading.ManualResetEventSlim]::new($false)
        $work = foreach ($name in 'pester-rs-alpha', 'pester-rs-beta') {
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($bs, $name, $ready, $go)
                    Import-Module KafkaCatalog
                    $null = Connect-KafkaCluster -BootstrapServer $bs -Name $name
                    $null = $ready.Signal()
                    if (-not $go.Wait([timespan]::FromSeconds(60))) { throw 'the other runspace never connected' }
                    foreach ($i in 1..5) {
                        [pscustomobject]@{ Default = (Get-KafkaConnection -Default).Name; All = (@(Get-KafkaConnection).Name) -join ','; Cluster = (Get-KafkaCluster).ConnectionName }
                    }
                }).AddArgument($script:sandbox.BootstrapServers).AddArgument($name).AddArgument($ready).AddArgument($go)
            [pscustomobject]@{ Name = $name; PowerShell = $ps; Handle = $ps.BeginInvoke() }
        }
        try {
            $ready.Wait([timespan]::FromSeconds(60)) | Should -BeTrue
            $go.Set()
            foreach ($w in $work) {
                $rows = $w.PowerShell.EndInvoke($w.Handle)
                $w.PowerShell.Streams.Error | Should -BeNullOrEmpty
                $rows.Count | Should -Be 5
                foreach ($row in $rows) {
                    $row.Default | Should -Be $w.Name
                    $row.All | Should -Be $w.Name
                }
            }
        }
        finally {
            $go.Set()
            $work | ForEach-Object { $_.PowerShell.Dispose() }
        }
        Get-KafkaConnection -Name 'pester-rs-*' | Should -BeNullOrEmpty
    }

    It 'ForEach-Object -Parallel uses -Connection $using:conn and sees none of the caller''s connections' {
        $conn = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-parallel
        New-KafkaTopic -Name pester-parallel-topic -Partitions 2 -Confirm:$false | Out-Null
        $rows = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            [pscustomobject]@{ Topic = (Get-KafkaTopic -Connection $using:conn -Name pester-parallel-topic).Name; Connections = @(Get-KafkaConnection).Count }
        }
        $rows.Count | Should -Be 4
        @($rows | Where-Object Topic -EQ 'pester-parallel-topic').Count | Should -Be 4
        @($rows | Where-Object Connections -NE 0).Count | Should -Be 0
        (Get-KafkaConnection -Default).Name | Should -Be 'pester-parallel'
    }

    It 'Start-ThreadJob uses -Connection $using:conn and keeps its own default' {
        Get-Command Start-ThreadJob -ErrorAction Stop | Out-Null
        $conn = Get-KafkaConnection -Name pester-parallel
        $job = Start-ThreadJob -ScriptBlock {
            $given = $using:conn
            $null = Connect-KafkaCluster -BootstrapServer $given.BootstrapServers -Name pester-threadjob
            [pscustomobject]@{ Topic = (Get-KafkaTopic -Connection $given -Name pester-parallel-topic).Name; Default = (Get-KafkaConnection -Default).Name; Count = @(Get-KafkaConnection).Count }
        }
        $result = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        $result.Topic | Should -Be 'pester-parallel-topic'
        $result.Default | Should -Be 'pester-threadjob'
        $result.Count | Should -Be 1
        (Get-KafkaConnection -Default).Name | Should -Be 'pester-parallel'
        Get-KafkaConnection -Name pester-threadjob -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
