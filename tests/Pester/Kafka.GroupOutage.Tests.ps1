# A broker outage during consumer-group work, as an admin meets it in an incident: child pwsh processes
# (the installed module, imported by name) run rounds of Get-KafkaConsumerGroup (listing and describing),
# Get-KafkaConsumerGroupOffset and tab completion of -GroupId (TabExpansion2) while this process stops and
# restarts brokers through the sandbox's standard-input chaos commands, one command after each round has
# started. A native abort inside librdkafka would end a child (SIGABRT/SIGSEGV: no DONE line, exit code
# not 0); every round must end with objects or an error record with a specific KafkaCatalog error id.

BeforeDiscovery {
    # 4 children x 50 rounds: at least 200 rounds in all.
    $script:childCount = 4
    $script:roundsPerChild = 50
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:childCount = 4
    $script:roundsPerChild = 50
    $script:sandbox = Start-TestSandbox
    # Per request on every broker: a call lasts long enough for the chaos command to land inside it.
    Send-TestSandboxCommand $script:sandbox 'latency 40' | Should -BeLike 'ok latency 40 ms*'
    $script:brokerIds = @([regex]::Matches((Send-TestSandboxCommand $script:sandbox 'status'), 'broker (\d+) running') | ForEach-Object { [int]$_.Groups[1].Value })

    # One child: $Rounds rounds, the operation rotating with the round; "BEGIN n op" before each call,
    # "END n op outcome" after it (ok:<objects> | error:<ErrorId>/<exception type>;...), "DONE" at the end.
    $script:childScript = @'
$ErrorActionPreference = 'Stop'
$module = Import-Module KafkaCatalog -PassThru
[Console]::Out.WriteLine("MODULE $($module.ModuleBase)")
$servers = '__SERVERS__'
$null = Connect-KafkaCluster -BootstrapServer $servers -Name outage -TimeoutSec 4 -SkipVerify
function Format-Outcome($objects, $errors) {
    # ErrorVariable holds error records, and for a terminating error the exception too (an IContainsErrorRecord).
    $records = @($errors | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { $_ } elseif ($_ -is [Management.Automation.IContainsErrorRecord]) { $_.ErrorRecord } else { "$($_.GetType().FullName)" } })
    if ($records.Count -gt 0) {
        'error:' + (@($records | ForEach-Object { if ($_ -is [string]) { "NotAnErrorRecord/$_" } else { '{0}/{1}' -f $_.FullyQualifiedErrorId, $_.Exception.GetType().Name } } | Select-Object -Unique) -join ';')
    }
    else { 'ok:{0}' -f @($objects).Count }
}
$operations = 'list', 'describe', 'offsets', 'complete'
for ($round = 0; $round -lt __ROUNDS__; $round++) {
    $operation = $operations[($round + __CHILD__) % $operations.Count]
    [Console]::Out.WriteLine("BEGIN $round $operation")
    $started = [Diagnostics.Stopwatch]::StartNew()
    $errors = [Collections.Generic.List[object]]::new()
    $objects = @()
    try {
        switch ($operation) {
            'list' { $objects = @(Get-KafkaConsumerGroup -ErrorAction SilentlyContinue -ErrorVariable +failed -WarningAction SilentlyContinue) }
            'describe' { $objects = @(Get-KafkaConsumerGroup -GroupId orders-processor, payments-audit -ErrorAction SilentlyContinue -ErrorVariable +failed -WarningAction SilentlyContinue) }
            'offsets' { $objects = @(Get-KafkaConsumerGroupOffset -GroupId orders-processor -ErrorAction SilentlyContinue -ErrorVariable +failed -WarningAction SilentlyContinue) }
            'complete' {
                # A connection of its own each round (the session default): a Tab that asks the cluster, not the cache.
                $null = Connect-KafkaCluster -BootstrapServer $servers -Name "tab-$round" -TimeoutSec 4 -SkipVerify
                $line = 'Get-KafkaConsumerGroup -GroupId '
                $started.Restart()
                $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
                $objects = @($completion)
                [Console]::Out.WriteLine("TAB $round $($completion.CompletionMatches.Count) $([int]$started.Elapsed.TotalMilliseconds)")
                Disconnect-KafkaCluster -Name "tab-$round"
                $null = Connect-KafkaCluster -BootstrapServer $servers -Name outage -TimeoutSec 4 -SkipVerify
            }
        }
    }
    catch { $errors.Add($_) }
    foreach ($e in @($failed | Where-Object { $null -ne $_ })) { $errors.Add($e) }
    $failed = $null
    [Console]::Out.WriteLine("END $round $operation $(Format-Outcome $objects $errors)")
}
[Console]::Out.WriteLine('DONE')
'@
}

AfterAll {
    if ($script:children) { $script:children | ForEach-Object { $_.Dispose() } }
    Stop-TestSandbox $script:sandbox
}

Describe 'Consumer-group work while brokers stop and restart' {
    It 'ends every one of <count> rounds with objects or a specific error, and no child pwsh aborts' {
        $pwsh = @([Environment]::ProcessPath)
        if ((Split-Path $pwsh[0] -Leaf) -match '^dotnet(\.exe)?$') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
        $script:children = @(0..($script:childCount - 1) | ForEach-Object {
                $script = $script:childScript.Replace('__SERVERS__', $script:sandbox.BootstrapServers).Replace('__ROUNDS__', "$script:roundsPerChild").Replace('__CHILD__', "$_")
                $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
                [KafkaCatalogTestTools.SandboxProcess]::Start($pwsh[0], [string[]](@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)))
            })

        # After each BEGIN (in the order seen): the stopped broker starts again, or else the next one stops.
        $seen = @(0) * $script:childCount
        $down = $null
        $next = 0
        $commands = [Collections.Generic.List[string]]::new()
        $midCall = 0
        $deadline = [DateTime]::UtcNow.AddMinutes(8)
        while (@($script:children | Where-Object { -not $_.Process.HasExited }).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) {
            $acted = $false
            for ($c = 0; $c -lt $script:childCount; $c++) {
                $lines = $script:children[$c].Lines
                for (; $seen[$c] -lt $lines.Count; $seen[$c]++) {
                    if ($lines[$seen[$c]] -notmatch '^BEGIN (\d+) ') { continue }
                    $round = $Matches[1]
                    if ($null -ne $down) { $command = "start-broker $down"; $down = $null }
                    else { $down = $script:brokerIds[$next++ % $script:brokerIds.Count]; $command = "stop-broker $down" }
                    $answer = Send-TestSandboxCommand $script:sandbox $command
                    $commands.Add("$command -> $answer")
                    if (-not (@($script:children[$c].Lines) -match "^END $round ")) { $midCall++ }
                    $acted = $true
                }
            }
            if (-not $acted) { Start-Sleep -Milliseconds 20 }
        }
        if ($null -ne $down) { Send-TestSandboxCommand $script:sandbox "start-broker $down" | Out-Null }
        $running = @($script:children | Where-Object { -not $_.Process.HasExited }).Count
        $script:children | ForEach-Object { $_.Process.WaitForExit(15000) | Out-Null }

        $rounds = @()
        $report = for ($c = 0; $c -lt $script:childCount; $c++) {
            $child = $script:children[$c]
            $lines = $child.Lines
            $exit = if ($child.Process.HasExited) { $child.Process.ExitCode } else { 'running' }
            "child $c exit $exit, $(@($lines -match '^END ').Count) rounds, done: $(@($lines -eq 'DONE').Count -eq 1)"
            $rounds += @($lines -match '^END ' | ForEach-Object { [pscustomobject]@{ Child = $c; Line = $_ } })
        }
        $tabs = @($script:children | ForEach-Object { $_.Lines -match '^TAB ' })
        Write-Host ("   outage stress: {0} rounds, {1} chaos commands, {2} landed while the round's call was running, {3} Tab completions (ms, slowest first: {4})" -f $rounds.Count, $commands.Count, $midCall, $tabs.Count, ((@($tabs | ForEach-Object { [int]($_ -split ' ')[3] } | Sort-Object -Descending) | Select-Object -First 8) -join ', '))
        $diagnostics = ($report + @($script:children | ForEach-Object { $_.Lines | Where-Object { $_ -notmatch '^(BEGIN|END|TAB) ' } | Select-Object -Last 20 })) -join "`n"

        # No child hung, aborted or failed: each exited 0 after its last round.
        $running | Should -Be 0 -Because $diagnostics
        for ($c = 0; $c -lt $script:childCount; $c++) {
            $script:children[$c].Process.ExitCode | Should -Be 0 -Because $diagnostics
            @($script:children[$c].Lines -eq 'DONE').Count | Should -Be 1 -Because $diagnostics
            @($script:children[$c].Lines -match '^MODULE ') | Should -Be "MODULE $env:KAFKACATALOG_EXPECTED_MODULE_BASE" -Because 'the children test the installed package'
        }
        $rounds.Count | Should -Be ($script:childCount * $script:roundsPerChild)
        @($commands | Where-Object { $_ -notmatch ' -> ok ' }) | Should -BeNullOrEmpty -Because 'every chaos command was carried out'
        # The rounds met the outage: commands landed inside running calls (each one after its round began).
        $midCall | Should -BeGreaterThan 0

        foreach ($r in $rounds) {
            $outcome = ($r.Line -split ' ', 4)[3]
            if ($outcome -like 'ok:*') {
                # Objects: groups, offset rows, or the CommandCompletion of a Tab.
                [int]$outcome.Substring(3) | Should -BeGreaterThan 0 -Because "child $($r.Child): $($r.Line)"
            }
            else {
                # Each error record carries a KafkaCatalog error id (not an exception's type name) and a KafkaCatalogException.
                $outcome | Should -Match '^error:([A-Z][A-Za-z]+,KafkaCatalog\.PowerShell\.Cmdlets\.[A-Za-z]+Command/KafkaCatalogException;?)+$' -Because "child $($r.Child): $($r.Line)"
            }
        }

        # The Tabs completed group ids (a Tab whose cluster fetch is cut by the outage answers with none).
        ($tabs | ForEach-Object { [int]($_ -split ' ')[2] } | Measure-Object -Sum).Sum | Should -BeGreaterThan 0
        # Tab completion never waits past its 2 s bound by much, whichever broker is down (hang bound 10 s).
        foreach ($tab in $tabs) { [int]($tab -split ' ')[3] | Should -BeLessThan 10000 -Because $tab }
    } -ForEach @(@{ count = $script:childCount * $script:roundsPerChild })
}
