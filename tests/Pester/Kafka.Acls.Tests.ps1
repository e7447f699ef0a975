# Get-KafkaAcl, Add-KafkaAcl and Remove-KafkaAcl against a sandbox with the authorizer on
# (Start-TestSandbox -Acls: the anonymous test client is a super user).

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-KafkaCatalogUnderTest
    $script:sandbox = Start-TestSandbox -Acls
    $script:kafka = Connect-KafkaCluster -BootstrapServer $script:sandbox.BootstrapServers -Name pester-acls
}

AfterAll {
    Get-KafkaConnection | Disconnect-KafkaCluster
    Stop-TestSandbox $script:sandbox
}

Describe 'Add-KafkaAcl' {
    It 'adds nothing with -WhatIf' {
        Add-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:whatif' -Operation Read -WhatIf
        @(Get-KafkaAcl -Principal 'User:whatif').Count | Should -Be 0
    }

    It 'adds one ACL per operation and returns them with -PassThru' {
        $added = @(Add-KafkaAcl -ResourceType Topic -ResourceName orders -PatternType Literal -Principal 'User:alice' -Operation Read, Describe -Permission Allow -PassThru -Confirm:$false)
        $added.Count | Should -Be 2
        $added[0].GetType().Name | Should -Be 'KafkaAcl'
        $added | ForEach-Object { "$($_.Operation)" } | Should -Contain 'Read'
        $added | ForEach-Object { $_.Host | Should -Be '*' }
    }

    It 'adds a prefixed group ACL' {
        Add-KafkaAcl -ResourceType Group -ResourceName 'orders-' -PatternType Prefixed -Principal 'User:alice' -Operation Read -Confirm:$false
        $acl = Get-KafkaAcl -ResourceType Group -Principal 'User:alice'
        $acl.ResourceName | Should -Be 'orders-'
        "$($acl.PatternType)" | Should -Be 'Prefixed'
    }

    It 'writes AclPrincipalInvalid for a principal without a type and adds nothing' {
        Add-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'bob' -Operation Read -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'AclPrincipalInvalid,KafkaCatalog.PowerShell.Cmdlets.AddKafkaAclCommand'
        @(Get-KafkaAcl -ResourceName orders -Principal 'User:bob').Count | Should -Be 0
    }

    It 'writes AclOperationRequired for the Any operation' {
        Add-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:carol' -Operation Any -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AclOperationRequired,*'
        @(Get-KafkaAcl -Principal 'User:carol').Count | Should -Be 0
    }

    It 'rejects a resource type outside the set at parameter binding' {
        { Add-KafkaAcl -ResourceType TransactionalId -ResourceName tx -Principal 'User:alice' -Operation Write } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaCatalog.PowerShell.Cmdlets.AddKafkaAclCommand'
    }
}

Describe 'Get-KafkaAcl' {
    It 'lists ACLs filtered by resource and principal' {
        $acls = @(Get-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:alice')
        $acls.Count | Should -Be 2
        $acls | ForEach-Object { $_.ConnectionName | Should -Be 'pester-acls' }
    }

    It 'lists every ACL without a filter' {
        @(Get-KafkaAcl).Count | Should -BeGreaterOrEqual 3
    }

    It 'fails with AclHostInvalid for a malformed host filter' {
        { Get-KafkaAcl -ClientHost 'not a host' } | Should -Throw -ErrorId 'AclHostInvalid,*'
    }
}

Describe 'Remove-KafkaAcl' {
    It 'removes nothing with -WhatIf' {
        Remove-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:alice' -WhatIf
        @(Get-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:alice').Count | Should -Be 2
    }

    It 'removes the matching ACLs and returns them with -PassThru' {
        $removed = @(Remove-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:alice' -Operation Read -Force -PassThru)
        $removed.Count | Should -Be 1
        @(Get-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:alice').Count | Should -Be 1
    }

    It 'removes ACLs piped from Get-KafkaAcl' {
        Get-KafkaAcl -ResourceType Group -Principal 'User:alice' | Remove-KafkaAcl -Force
        @(Get-KafkaAcl -ResourceType Group -Principal 'User:alice').Count | Should -Be 0
    }

    It 'writes AclFilterTooBroad without a name or principal and removes nothing' {
        $before = @(Get-KafkaAcl).Count
        Remove-KafkaAcl -ResourceType Topic -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'AclFilterTooBroad,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaAclCommand'
        @(Get-KafkaAcl).Count | Should -Be $before
    }

    It 'writes AclNotFound when nothing matches' {
        Remove-KafkaAcl -ResourceType Topic -ResourceName orders -Principal 'User:nobody' -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'AclNotFound,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaAclCommand'
    }
}

Describe 'ACLs of types Confluent.Kafka cannot name' {
    # The sandbox seeds, for User:orders-app, Write on the TransactionalId 'orders' and Write on the Topic 'orders'.

    It 'shows the TransactionalId ACL as TransactionalId and nothing as Any' {
        $mine = @(Get-KafkaAcl -Principal 'User:orders-app')
        $mine.Count | Should -Be 2
        @($mine | ForEach-Object { "$($_.ResourceType)" } | Sort-Object) | Should -Be @('Topic', 'TransactionalId')
        @(Get-KafkaAcl | Where-Object ResourceType -eq Any).Count | Should -Be 0
    }

    It 'refuses a piped TransactionalId ACL with AclResourceTypeNotSupported and removes nothing' {
        Get-KafkaAcl -Principal 'User:orders-app' | Where-Object ResourceType -eq TransactionalId |
            Remove-KafkaAcl -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'AclResourceTypeNotSupported,KafkaCatalog.PowerShell.Cmdlets.RemoveKafkaAclCommand'
        @(Get-KafkaAcl -Principal 'User:orders-app').Count | Should -Be 2
    }

    It 'refuses a TransactionalId filter with AclResourceTypeNotSupported' {
        { Get-KafkaAcl -ResourceType TransactionalId } | Should -Throw -ErrorId 'AclResourceTypeNotSupported,KafkaCatalog.PowerShell.Cmdlets.GetKafkaAclCommand'
    }

    It 'removes exactly the one ACL piped in' {
        $before = @(Get-KafkaAcl).Count
        $removed = @(Get-KafkaAcl -Principal 'User:orders-app' | Where-Object ResourceType -eq Topic | Remove-KafkaAcl -Force -PassThru)
        $removed.Count | Should -Be 1
        "$($removed[0].ResourceType)" | Should -Be 'Topic'
        @(Get-KafkaAcl).Count | Should -Be ($before - 1)
        $left = @(Get-KafkaAcl -Principal 'User:orders-app')
        $left.Count | Should -Be 1
        "$($left[0].ResourceType)" | Should -Be 'TransactionalId'
        $left[0].ResourceName | Should -Be 'orders'
    }
}
