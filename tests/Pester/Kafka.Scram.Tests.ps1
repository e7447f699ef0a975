# Get-, Set- and Remove-KafkaUserScramCredential against a SASL_PLAINTEXT sandbox (--sasl, TestKit logging on):
# a user created here logs in over SCRAM with Connect-KafkaCluster, a wrong password is KafkaAuthenticationFailed,
# and after Remove- the login fails. The new password is looked for in every stream, the output objects, their
# JSON and text, the errors and the sandbox's own log lines, and must be in none of them.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -NoSeed -ExtraArgument '--sasl', '--verbose'
    $script:bootstrap = $script:sandbox.BootstrapServers
    $adminPassword = ConvertTo-SecureString $script:sandbox.Settings['sasl.password'] -AsPlainText -Force
    $script:admin = [pscredential]::new($script:sandbox.Settings['sasl.username'], $adminPassword)
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:bootstrap -Name pester-scram -SecurityProtocol SaslPlaintext -SaslMechanism ScramSha512 -Credential $script:admin
    $script:Secret = 'Pester-Scram-' + [guid]::NewGuid().ToString('N')
    $script:SecretSecure = ConvertTo-SecureString $script:Secret -AsPlainText -Force

    function script:Connect-As([string] $User, [securestring] $Password, [string] $Mechanism = 'ScramSha512') {
        # Connect-KafkaCluster verifies the login (one DescribeCluster) and makes the new connection the default:
        # the admin connection is made the default again afterwards.
        try {
            Connect-KafkaCluster -BootstrapServer $script:bootstrap -Name "as-$User" -SecurityProtocol SaslPlaintext -SaslMechanism $Mechanism -Credential ([pscredential]::new($User, $Password))
        }
        finally {
            $script:kafka = Connect-KafkaCluster -BootstrapServer $script:bootstrap -Name pester-scram -SecurityProtocol SaslPlaintext -SaslMechanism ScramSha512 -Credential $script:admin
        }
    }
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Set-KafkaUserScramCredential' {
    It 'sets nothing with -WhatIf' {
        Set-KafkaUserScramCredential -Credential ([pscredential]::new('whatif-user', $script:SecretSecure)) -WhatIf
        Get-KafkaUserScramCredential -User whatif-user -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ScramUserNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaUserScramCredentialCommand'
    }

    It 'creates a user who then logs in over SCRAM-SHA-512, and the password is in no stream, object or log' {
        $streams = @(Set-KafkaUserScramCredential -Credential ([pscredential]::new('carol', $script:SecretSecure)) -Mechanism SCRAM-SHA-512 -Iterations 8192 -PassThru -Verbose -Debug *>&1)
        $set = @($streams | Where-Object { $_.GetType().FullName -eq 'KafkaCatalog.Core.Kafka.Scram.KafkaUserScramCredential' })
        $set.Count | Should -Be 1
        $set[0].User | Should -Be 'carol'
        $set[0].Mechanism | Should -Be 'SCRAM-SHA-512'
        $set[0].Iterations | Should -Be 8192

        $listed = @(Get-KafkaUserScramCredential -User carol -Verbose *>&1)
        $connection = Connect-As carol $script:SecretSecure
        $cluster = Get-KafkaCluster -Connection $connection -Verbose *>&1
        $wrong = $null
        try { Connect-As carol (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force) } catch { $wrong = $_ }

        $wrong.FullyQualifiedErrorId | Should -BeLike 'KafkaAuthenticationFailed,*'
        $texts = @($streams + $listed + @($cluster) + @($wrong) + @($Error)) | ForEach-Object { "$_"; ($_ | Out-String); if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); "$($_.TargetObject)" } else { ($_ | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) } }
        $texts += $connection | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue
        $texts += $script:sandbox.Process.Lines
        ($texts -join "`n") | Should -Not -Match ([regex]::Escape($script:Secret))
        @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0 -Because 'the verbose stream was captured, so the scan saw it'
    }

    It 'logs in over SCRAM-SHA-256 with a SCRAM-SHA-256 credential' {
        Set-KafkaUserScramCredential -Credential ([pscredential]::new('dave', $script:SecretSecure)) -Mechanism SCRAM-SHA-256 -Iterations 4096 -Confirm:$false
        $connection = Connect-As dave $script:SecretSecure ScramSha256
        (Get-KafkaCluster -Connection $connection).ClusterId | Should -Not -BeNullOrEmpty
    }

    It 'refuses <Case> with <ErrorId> and creates nothing' -ForEach @(
        @{ Case = 'too few iterations'; User = 'bad-iter'; Iterations = 4095; Password = 'pw'; ErrorId = 'ScramIterationsOutOfRange' }
        @{ Case = 'too many iterations'; User = 'bad-iter2'; Iterations = 16385; Password = 'pw'; ErrorId = 'ScramIterationsOutOfRange' }
        @{ Case = 'an empty password'; User = 'bad-pw'; Iterations = 8192; Password = ''; ErrorId = 'ScramPasswordEmpty' }
    ) {
        $secure = if ($Password) { ConvertTo-SecureString $Password -AsPlainText -Force } else { [securestring]::new() }
        { Set-KafkaUserScramCredential -Credential ([pscredential]::new($User, $secure)) -Iterations $Iterations -Confirm:$false } |
            Should -Throw -ErrorId "$ErrorId,KafkaCatalog.PowerShell.Cmdlets.SetKafkaUserScramCredentialCommand"
        Get-KafkaUserScramCredential -User $User -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ScramUserNotFound,*'
    }

    It 'rejects an unknown mechanism at parameter binding' {
        { Set-KafkaUserScramCredential -Credential ([pscredential]::new('bad-mech', $script:SecretSecure)) -Mechanism SCRAM-SHA-1 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.SetKafkaUserScramCredentialCommand'
    }
}

Describe 'Get-KafkaUserScramCredential' {
    It 'lists every user with wildcards and reports an unknown plain name' {
        @(Get-KafkaUserScramCredential).User | Should -Contain 'carol'
        @(Get-KafkaUserScramCredential -User 'CA*').User | Should -Be @('carol')
        $found = @(Get-KafkaUserScramCredential -User carol, nobody -ErrorAction SilentlyContinue -ErrorVariable err)
        $found.User | Should -Be @('carol')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ScramUserNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaUserScramCredentialCommand'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $found[0].ConnectionName | Should -Be 'pester-scram'
    }

    It 'has a table view with User, Mechanism and Iterations' {
        $table = Get-KafkaUserScramCredential -User carol | Format-Table | Out-String
        $table | Should -Match 'User\s+Mechanism\s+Iterations'
    }
}

Describe 'Remove-KafkaUserScramCredential' {
    It 'removes nothing with -WhatIf' {
        Get-KafkaUserScramCredential -User carol | Remove-KafkaUserScramCredential -WhatIf
        @(Get-KafkaUserScramCredential -User carol).Count | Should -Be 1
    }

    It 'writes ScramCredentialNotFound for a mechanism the user lacks and removes nothing' {
        Remove-KafkaUserScramCredential -User carol -Mechanism SCRAM-SHA-256 -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ScramCredentialNotFound,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaUserScramCredentialCommand'
        @(Get-KafkaUserScramCredential -User carol).Count | Should -Be 1
    }

    It 'removes the piped credential, after which the user cannot log in' {
        $removed = @(Get-KafkaUserScramCredential -User carol | Remove-KafkaUserScramCredential -Force -PassThru)
        $removed.Mechanism | Should -Be @('SCRAM-SHA-512')
        Get-KafkaUserScramCredential -User carol -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ScramUserNotFound,*'
        { Connect-As carol $script:SecretSecure } | Should -Throw -ErrorId 'KafkaAuthenticationFailed,*'
    }
}
