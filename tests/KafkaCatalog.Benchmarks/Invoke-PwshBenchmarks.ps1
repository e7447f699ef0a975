#Requires -Version 7.4
<#
.SYNOPSIS
    Performance where users are: the real pipelines in pwsh against the INSTALLED KafkaCatalog package, side by side
    with kafka-python 2.0.2 and with the Core services, on a seeded TestKit sandbox with 0 and 2 ms per request.
.DESCRIPTION
    dotnet tool run pwsh -File tests/KafkaCatalog.Benchmarks/Invoke-PwshBenchmarks.ps1 [-Quick] [-NoBuild]

    Builds (Release) and packages the module, installs the nupkg with Install-PSResource into a throw-away HOME
    (tests/tools/Install-KafkaCatalogPackage.ps1, as build.ps1's Pester and Demo tasks do), then for each data set
    starts `KafkaCatalog.TestKit serve --no-seed --bench-groups N | --bench-partitions N --latency MS` and measures:
      - pwsh, module imported: one session (Pwsh/PwshBenchmarkSession.ps1), a warm-up run, then -Runs timed runs
        (mode VARIANT); then every variant of the session and of Core again and again for -WarmSeconds, untimed, and
        -Runs rounds that time each variant once, Core and pwsh interleaved (mode "VARIANT, warm": a session that has
        run its pipelines for a while, the JIT's tiering settled, both sides measured in the same minutes);
      - pwsh, whole process: `pwsh -NoProfile -c "Connect-KafkaCluster ...; <pipeline>"` (module autoloaded), the
        wall time of the process;
      - kafka-python 2.0.2 (/usr/bin/python3): list_consumer_group_offsets per group + end offsets once
        (KafkaGroups/kafka_python_lag.py --batched-ends), describe_topics (Kafka/kafka_python_topics.py); whole
        process, and the job without building its clients;
      - Core (`KafkaCatalog.Benchmarks core-pipeline`): the same service calls in a .NET process, running next to
        the session: warm-up first, then as the session (first runs, and the interleaved warm rounds).
    Requests are TestKit's counters (the sandbox's "requests" line) around each run; peak memory is VmHWM from
    /proc/<pid>/status (reset through clear_refs before each in-session run; for whole processes the lifetime peak).
    Every run's totals (rows, lag, partitions) must match the seeded data or the script fails.
    Writes out/benchmarks/pwsh-benchmarks.md (tables and ratios for docs/benchmarks.md) and .json (every run).
    -TimeLag: the lag data sets hold real records (serve --bench-records) and the imported session also runs
    `Get-KafkaConsumerGroupOffset -IncludeTimeLag` (variant lag-timelag; its extra cost over lag-single is reported).
    -Smoke: tiny data, latency 0, one run each, a 1 s warm phase, the installed module already on PSModulePath (-UseInstalled);
    tests/Pester/Benchmarks.Tests.ps1 runs it that way.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [switch] $Smoke,
    [int[]] $Latency = @(0, 2),
    [int] $Runs = 3,
    # Untimed repeats (seconds) before the "warm" runs of Core and the imported session; 0 leaves the warm runs out.
    [double] $WarmSeconds = 20,
    # Data set sizes (default: 1,000 and 10,000 groups; 10,000 and 100,000 partitions); 0 leaves a scenario out.
    [int[]] $LagSizes = @(1000, 10000),
    [int[]] $PartitionSizes = @(10000, 100000),
    [switch] $NoBuild,
    # Also measure -IncludeTimeLag on the lag data sets (seeded with real records).
    [switch] $TimeLag,
    # Use the KafkaCatalog already visible on PSModulePath (an installed package) instead of building and installing.
    [switch] $UseInstalled,
    [string] $Configuration = 'Release',
    [string] $OutDirectory,
    [string] $Python = '/usr/bin/python3'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $OutDirectory) { $OutDirectory = Join-Path $root 'out/benchmarks' }
$timeout = [timespan]::FromMinutes(15)

$lagSizes = @($LagSizes | Where-Object { $_ -gt 0 }); $partitionSizes = @($PartitionSizes | Where-Object { $_ -gt 0 })
if ($Quick) { $lagSizes = @(1000); $partitionSizes = @(10000); $Runs = 1 }
if ($Smoke) { $lagSizes = @(20); $partitionSizes = @(200); $Latency = @(0); $Runs = 1; $WarmSeconds = 1; $UseInstalled = $true; $NoBuild = $true }

function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ((Split-Path $process -Leaf) -match '^dotnet(\.exe)?$') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

function Invoke-Checked([string] $File, [string[]] $Arguments) {
    & $File @Arguments | Out-Host
    if ($LASTEXITCODE) { throw "$File $($Arguments -join ' ') failed ($LASTEXITCODE)." }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    if ($sorted.Count % 2) { return $sorted[[int][math]::Floor($sorted.Count / 2)] }
    ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2
}

function Get-RequestCount($Sandbox) {
    $answer = $Sandbox.Send('requests', [timespan]::FromSeconds(30))
    $counts = @{}
    foreach ($pair in (-split $answer | Select-Object -Skip 2)) { $k, $v = $pair -split '=', 2; $counts[$k] = [long]$v }
    $counts
}

function Get-RequestDelta($Before, $After) {
    $delta = [ordered]@{}
    foreach ($k in $After.Keys | Sort-Object) { $d = $After[$k] - $(if ($Before.ContainsKey($k)) { $Before[$k] } else { 0 }); if ($d) { $delta[$k] = $d } }
    $delta
}

function Format-Requests($Delta) {
    if (-not $Delta) { return '' }
    ($Delta.Keys | Where-Object { $_ -ne 'total' } | ForEach-Object { "$_ $($Delta[$_])" }) -join ', '
}

$results = [Collections.Generic.List[object]]::new()

# One timed run of a variant in a long-lived process (core-pipeline or the pwsh session), with the requests it sent.
function Measure-JobRun($Job, $Sandbox) {
    $before = Get-RequestCount $Sandbox
    $answer = $Job.Process.Send("run $($Job.Variant)", $timeout)
    if ($answer -notmatch '^ok run ') { throw "$($Job.Tool) $($Job.Variant): $answer" }
    $r = ($answer -replace '^ok run ', '') | ConvertFrom-Json
    $r | Add-Member requests (Get-RequestDelta $before (Get-RequestCount $Sandbox)) -PassThru
}

# The median of a variant's runs as a result row (mode VARIANT plus the phase's suffix); every run's totals checked.
function Add-JobResult($Job, [string] $Suffix, [object[]] $Samples) {
    $isCore = $Job.Tool -like 'Core*'
    foreach ($r in $Samples) {
        if ($isCore) { Assert-Totals "Core $($Job.Variant)" $r.rows $(if ($scenario.Name -eq 'lag') { $r.lag } else { $r.partitions }) $expectedRows $expectedSum }
        elseif ($Job.Variant -notlike '*-formatted') { Assert-Totals "pwsh $($Job.Variant)" $r.rows $r.sum $expectedRows $expectedSum }
    }
    $m = $Samples | Sort-Object seconds | Select-Object -Index ([int][math]::Floor(@($Samples).Count / 2))
    Add-Result @args3 -Tool $Job.Tool -Mode "$($Job.Variant)$Suffix" -Seconds (Get-Median $Samples.seconds) -Requests $m.requests -PeakKb $m.peak_rss_kb -AllocatedMb $m.allocated_mb -RssBeforeKb $m.rss_before_kb
}

function Add-Result {
    param($Scenario, [long] $N, [int] $LatencyMs, [string] $Tool, [string] $Mode, [double] $Seconds, $Requests, [long] $PeakKb, [double] $AllocatedMb = -1, [long] $RssBeforeKb = -1)
    $row = [pscustomobject]@{
        scenario = $Scenario; n = $N; latency_ms = $LatencyMs; tool = $Tool; mode = $Mode; seconds = $Seconds
        requests = if ($Requests) { $Requests['total'] } else { $null }; request_detail = (Format-Requests $Requests)
        peak_rss_mb = [math]::Round($PeakKb / 1024, 1); rss_before_mb = [math]::Round($RssBeforeKb / 1024, 1); allocated_mb = [math]::Round($AllocatedMb, 1)
    }
    $results.Add($row)
    Write-Host ("  {0,-34} {1,-22} {2,8:0.000} s  {3,7} requests  peak {4,7:0.0} MB" -f $Tool, $Mode, $Seconds, $row.requests, $row.peak_rss_mb)
}

function Assert-Totals([string] $Who, [long] $Rows, [long] $Sum, [long] $ExpectedRows, [long] $ExpectedSum) {
    if ($Rows -ne $ExpectedRows -or $Sum -ne $ExpectedSum) { throw "$Who got $Rows rows / sum $Sum, expected $ExpectedRows / $ExpectedSum." }
}

# --- build, package, install ------------------------------------------------------------------------------------
$pwsh = Get-PwshCommand
$testKitDll = Join-Path $root "tests/KafkaCatalog.TestKit/bin/$Configuration/net10.0/KafkaCatalog.TestKit.dll"
$benchDll = Join-Path $root "tests/KafkaCatalog.Benchmarks/bin/$Configuration/net10.0/KafkaCatalog.Benchmarks.dll"
$work = Join-Path ([IO.Path]::GetTempPath()) "kafkacatalog-pwsh-bench-$PID"
$savedHome = $env:HOME
try {
    if (-not $NoBuild) {
        Invoke-Checked dotnet @('build', (Join-Path $root 'tests/KafkaCatalog.Benchmarks/KafkaCatalog.Benchmarks.csproj'), '-c', $Configuration, '-nologo', '-clp:ErrorsOnly')
        Invoke-Checked $pwsh[0] (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'build.ps1'), '-Task', 'Package', '-Configuration', $Configuration))
    }
    if (-not ('KafkaCatalogTestTools.SandboxProcess' -as [type])) { Add-Type -Path (Join-Path $root 'tests/tools/SandboxProcess.cs') }
    if ($UseInstalled) {
        $installed = @(Get-Module -ListAvailable KafkaCatalog)
        if ($installed.Count -ne 1) { throw "-UseInstalled needs exactly one KafkaCatalog on PSModulePath (found $($installed.Count))." }
        $moduleBase = $installed[0].ModuleBase; $moduleVersion = "$($installed[0].Version)"
    }
    else {
        $moduleVersion = ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
        New-Item -ItemType Directory -Force (Join-Path $work 'repository'), (Join-Path $work 'home') | Out-Null
        Copy-Item (Join-Path $root "out/KafkaCatalog.$moduleVersion.nupkg") (Join-Path $work 'repository')
        $env:HOME = Join-Path $work 'home'
        $installedModule = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "& '$root/tests/tools/Install-KafkaCatalogPackage.ps1' -Repository '$work/repository' -ModuleVersion '$moduleVersion' | ForEach-Object ModuleBase"
        if ($LASTEXITCODE) { throw 'Install-PSResource failed.' }
        $moduleBase = "$($installedModule | Select-Object -Last 1)".Trim()
    }
    Write-Host "KafkaCatalog $moduleVersion installed at $moduleBase"

    $load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3
    $machine = [ordered]@{
        date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        cpu = ((Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')
        cores = [Environment]::ProcessorCount
        memory_gb = [math]::Round(((Get-Content /proc/meminfo | Select-Object -First 1) -split '\s+')[1] / 1MB, 1)
        os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        dotnet = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        pwsh = "$($PSVersionTable.PSVersion)"
        python = (& $Python --version 2>&1) -join ''
        kafka_python = (& $Python -c 'import kafka; print(kafka.__version__)' 2>&1) -join ''
        module = $moduleVersion
        load_before = $load -join ' '
    }
    $pwshArgs = @($pwsh | Select-Object -Skip 1)

    $scenarios = @($lagSizes | ForEach-Object { [pscustomobject]@{ Name = 'lag'; N = $_; Serve = @(@('--bench-groups', "$_") + @(if ($TimeLag) { '--bench-records' })) } }) +
        @($partitionSizes | ForEach-Object { [pscustomobject]@{ Name = 'topics'; N = $_; Serve = @('--bench-partitions', "$_") } })
    foreach ($scenario in $scenarios) {
        foreach ($ms in $Latency) {
            Write-Host "== $($scenario.Name) N=$($scenario.N), latency $ms ms (load $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3))"
            $sandbox = [KafkaCatalogTestTools.SandboxProcess]::Start('dotnet', [string[]](@($testKitDll, 'serve', '--no-seed', '--latency', "$ms") + $scenario.Serve))
            try {
                if (-not $sandbox.WaitForLine('^Ready\.', 0, [timespan]::FromMinutes(5))) { throw "The sandbox did not start: $($sandbox.Lines -join "`n")" }
                $s = $sandbox.Settings()
                $bootstrap = $s['bootstrap.servers']
                if ($scenario.Name -eq 'lag') { $expectedRows = [long]$s['bench.expected_rows']; $expectedSum = [long]$s['bench.expected_lag'] }
                else { $expectedRows = [long]$s['bench.topics']; $expectedSum = [long]$s['bench.partitions'] }
                $args3 = @{ Scenario = $scenario.Name; N = $scenario.N; LatencyMs = $ms }

                # Core (the same service calls in a .NET process, one client) and pwsh with the module imported (one
                # session), side by side against this sandbox.
                $core = [KafkaCatalogTestTools.SandboxProcess]::Start('dotnet', [string[]]@($benchDll, 'core-pipeline', $bootstrap))
                $session = $null
                try {
                    if (-not $core.WaitForLine('^ready', 0, [timespan]::FromMinutes(1))) { throw "core-pipeline did not start: $($core.Lines -join "`n")" }
                    $session = [KafkaCatalogTestTools.SandboxProcess]::Start($pwsh[0], [string[]]($pwshArgs + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Pwsh/PwshBenchmarkSession.ps1'), '-BootstrapServer', $bootstrap, '-ExpectedModuleBase', $moduleBase)))
                    if (-not $session.WaitForLine('^ready', 0, [timespan]::FromMinutes(2))) { throw "The pwsh session did not start: $($session.Lines -join "`n")" }
                    $coreVariants = if ($scenario.Name -eq 'lag') { @('lag-as-pipeline', 'lag') } else { @('topics') }
                    $pwshVariants = @(if ($scenario.Name -eq 'lag') { 'lag', 'lag-single'; if ($TimeLag) { 'lag-timelag' } } else { 'topics' })
                    if ($scenario.N -eq $scenarios.Where({ $_.Name -eq $scenario.Name })[0].N -and -not $Smoke) { $pwshVariants += "$($scenario.Name)-formatted" }
                    $jobs = @($coreVariants | ForEach-Object { [pscustomobject]@{ Process = $core; Variant = $_; Tool = 'Core service (.NET process)' } }) +
                        @($pwshVariants | ForEach-Object { [pscustomobject]@{ Process = $session; Variant = $_; Tool = 'pwsh, module imported' } })

                    # First runs: each variant once to warm up, then -Runs timed runs, one variant after the other.
                    foreach ($job in $jobs) {
                        $null = $job.Process.Send("run $($job.Variant)", $timeout)
                        Add-JobResult $job '' @(foreach ($i in 1..$Runs) { Measure-JobRun $job $sandbox })
                    }

                    if ($WarmSeconds -gt 0) {
                        # Warm: every variant again and again, untimed, for -WarmSeconds; then -Runs rounds that time every
                        # variant once, Core and pwsh interleaved, so both sides meet the same machine.
                        $watch = [Diagnostics.Stopwatch]::StartNew()
                        while ($watch.Elapsed.TotalSeconds -lt $WarmSeconds) { foreach ($job in $jobs) { $null = $job.Process.Send("run $($job.Variant)", $timeout) } }
                        $warm = @($jobs | ForEach-Object { , [Collections.Generic.List[object]]::new() })
                        foreach ($i in 1..$Runs) { for ($j = 0; $j -lt $jobs.Count; $j++) { $warm[$j].Add((Measure-JobRun $jobs[$j] $sandbox)) } }
                        for ($j = 0; $j -lt $jobs.Count; $j++) { Add-JobResult $jobs[$j] ', warm' @($warm[$j]) }
                    }
                }
                finally {
                    if ($session) { $session.Dispose() }
                    $core.Dispose()
                }

                # pwsh as a whole process: what `pwsh -NoProfile -c "..."` from cron or a CI step pays.
                $pipeline = if ($scenario.Name -eq 'lag') { 'Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Measure-Object Lag -Sum' } else { 'Get-KafkaTopic | Measure-Object PartitionCount -Sum' }
                $command = "Connect-KafkaCluster -BootstrapServer '$bootstrap' | Out-Null; `$m = $pipeline; `"`$(`$m.Count) `$([long]`$m.Sum) `$(((Get-Content /proc/`$PID/status) -match '^VmHWM') -replace '\D', '')`""
                $samples = foreach ($i in 1..$Runs) {
                    $before = Get-RequestCount $sandbox
                    $watch = [Diagnostics.Stopwatch]::StartNew()
                    $out = & $pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command $command
                    $seconds = $watch.Elapsed.TotalSeconds
                    if ($LASTEXITCODE) { throw "pwsh -c failed: $out" }
                    $rows, $sum, $peak = -split ($out | Select-Object -Last 1)
                    Assert-Totals 'pwsh -c' $rows $sum $expectedRows $expectedSum
                    [pscustomobject]@{ seconds = $seconds; peak = [long]$peak; requests = (Get-RequestDelta $before (Get-RequestCount $sandbox)) }
                }
                $m = $samples | Sort-Object seconds | Select-Object -Index ([int][math]::Floor(@($samples).Count / 2))
                Add-Result @args3 -Tool 'pwsh, whole process' -Mode 'pwsh -NoProfile -c' -Seconds (Get-Median $samples.seconds) -Requests $m.requests -PeakKb $m.peak

                # kafka-python 2.0.2 as an operator's script; 10,000 groups take minutes, so one run there.
                $pyRuns = if ($scenario.Name -eq 'lag' -and $scenario.N -gt 1000) { 1 } else { $Runs }
                $samples = foreach ($i in 1..$pyRuns) {
                    $before = Get-RequestCount $sandbox
                    $watch = [Diagnostics.Stopwatch]::StartNew()
                    $out = if ($scenario.Name -eq 'lag') { & $Python (Join-Path $PSScriptRoot 'KafkaGroups/kafka_python_lag.py') $bootstrap 'bench-' '--batched-ends' }
                    else { & $Python (Join-Path $PSScriptRoot 'Kafka/kafka_python_topics.py') $bootstrap }
                    $seconds = $watch.Elapsed.TotalSeconds
                    if ($LASTEXITCODE) { throw "kafka-python failed: $out" }
                    $j = ($out | Select-Object -Last 1) | ConvertFrom-Json
                    if ($scenario.Name -eq 'lag') { Assert-Totals 'kafka-python' $j.rows $j.total_lag $expectedRows $expectedSum } else { Assert-Totals 'kafka-python' $j.topics $j.partitions $expectedRows $expectedSum }
                    [pscustomobject]@{ seconds = $seconds; job = $j.seconds - $j.setup_seconds; peak = [long]$j.peak_rss_kb; requests = (Get-RequestDelta $before (Get-RequestCount $sandbox)) }
                }
                $m = $samples | Sort-Object seconds | Select-Object -Index ([int][math]::Floor(@($samples).Count / 2))
                Add-Result @args3 -Tool 'kafka-python 2.0.2' -Mode 'job (clients built)' -Seconds (Get-Median $samples.job) -Requests $null -PeakKb $m.peak
                Add-Result @args3 -Tool 'kafka-python 2.0.2' -Mode 'whole process' -Seconds (Get-Median $samples.seconds) -Requests $m.requests -PeakKb $m.peak
            }
            finally { $sandbox.Dispose() }
        }
    }
    $machine['load_after'] = ((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3) -join ' '
}
finally {
    $env:HOME = $savedHome
    if (Test-Path $work) { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
}

# --- report -------------------------------------------------------------------------------------------------------
function Get-Row($Scenario, $N, $Ms, $Tool, $Mode) { $results | Where-Object { $_.scenario -eq $Scenario -and $_.n -eq $N -and $_.latency_ms -eq $Ms -and $_.tool -eq $Tool -and $_.mode -eq $Mode } | Select-Object -First 1 }
function Ratio($a, $b) { if ($a -and $b -and $b.seconds -gt 0) { '{0:0.00}' -f ($a.seconds / $b.seconds) } else { 'n/a' } }

$md = [Text.StringBuilder]::new()
$null = $md.AppendLine("Machine: $($machine.cpu), $($machine.cores) cores, $($machine.memory_gb) GB; $($machine.os); $($machine.dotnet); PowerShell $($machine.pwsh) (dotnet tool); $($machine.python), kafka-python $($machine.kafka_python); KafkaCatalog $($machine.module) installed from its package. $($machine.date); load average $($machine.load_before) before, $($machine.load_after) after (1/5/15 min).")
$null = $md.AppendLine()
$null = $md.AppendLine('| scenario | N | latency | tool | mode | median s | requests | peak RSS MB | allocated MB |')
$null = $md.AppendLine('|---|---:|---:|---|---|---:|---:|---:|---:|')
foreach ($r in $results) {
    $null = $md.AppendLine(('| {0} | {1:N0} | {2} ms | {3} | {4} | {5:0.000} | {6} | {7:0.0} | {8} |' -f $r.scenario, $r.n, $r.latency_ms, $r.tool, $r.mode, $r.seconds, $(if ($null -ne $r.requests) { $r.requests } else { '' }), $r.peak_rss_mb, $(if ($r.allocated_mb -ge 0) { '{0:0.0}' -f $r.allocated_mb } else { '' })))
}
$null = $md.AppendLine()
$null = $md.AppendLine('Requests by API (median run):')
$null = $md.AppendLine()
foreach ($r in $results | Where-Object request_detail) { $null = $md.AppendLine("- $($r.scenario) N=$($r.n), $($r.latency_ms) ms, $($r.tool) ($($r.mode)): $($r.request_detail)") }
$null = $md.AppendLine()
$null = $md.AppendLine('| ratio | latency | value |')
$null = $md.AppendLine('|---|---:|---:|')
$suffixes = @('') + @(if ($WarmSeconds -gt 0) { ', warm' })
foreach ($ms in $Latency) {
  foreach ($w in $suffixes) {
    $label = if ($w) { ' (warm)' } else { '' }
    foreach ($n in $lagSizes) {
        $py = Get-Row 'lag' $n $ms 'kafka-python 2.0.2' 'job (clients built)'; $pyProc = Get-Row 'lag' $n $ms 'kafka-python 2.0.2' 'whole process'
        $ps = Get-Row 'lag' $n $ms 'pwsh, module imported' "lag$w"; $psProc = Get-Row 'lag' $n $ms 'pwsh, whole process' 'pwsh -NoProfile -c'
        $coreP = Get-Row 'lag' $n $ms 'Core service (.NET process)' "lag-as-pipeline$w"; $core = Get-Row 'lag' $n $ms 'Core service (.NET process)' "lag$w"
        $null = $md.AppendLine("| lag $($n.ToString('N0')) groups$label`: kafka-python job / pwsh imported pipeline (target ≥ 10) | $ms ms | $(Ratio $py $ps) |")
        if (-not $w) { $null = $md.AppendLine("| lag $($n.ToString('N0')) groups: kafka-python process / pwsh -c process (whole-process ratio) | $ms ms | $(Ratio $pyProc $psProc) |") }
        $null = $md.AppendLine("| lag $($n.ToString('N0')) groups$label`: pwsh imported pipeline / Core same calls (target ≤ 1.25) | $ms ms | $(Ratio $ps $coreP) |")
        $null = $md.AppendLine("| lag $($n.ToString('N0')) groups$label`: pwsh imported pipeline / Core one GetOffsetsAsync | $ms ms | $(Ratio $ps $core) |")
        $single = Get-Row 'lag' $n $ms 'pwsh, module imported' "lag-single$w"; $withTimeLag = Get-Row 'lag' $n $ms 'pwsh, module imported' "lag-timelag$w"
        if ($single -and $withTimeLag) {
            $null = $md.AppendLine("| lag $($n.ToString('N0')) groups$label`: -IncludeTimeLag extra, pwsh imported (lag-timelag - lag-single, s) | $ms ms | $('{0:0.000}' -f ($withTimeLag.seconds - $single.seconds)) |")
        }
    }
    foreach ($n in $partitionSizes) {
        $ps = Get-Row 'topics' $n $ms 'pwsh, module imported' "topics$w"; $core = Get-Row 'topics' $n $ms 'Core service (.NET process)' "topics$w"
        $null = $md.AppendLine("| list $($n.ToString('N0')) partitions$label`: pwsh imported / Core (target ≤ 1.25) | $ms ms | $(Ratio $ps $core) |")
        if (-not $w) { $null = $md.AppendLine("| list $($n.ToString('N0')) partitions: kafka-python process / pwsh -c process | $ms ms | $(Ratio (Get-Row 'topics' $n $ms 'kafka-python 2.0.2' 'whole process') (Get-Row 'topics' $n $ms 'pwsh, whole process' 'pwsh -NoProfile -c')) |") }
    }
    if ($partitionSizes.Count -ge 2) {
        $small = Get-Row 'topics' $partitionSizes[0] $ms 'pwsh, module imported' "topics$w"; $large = Get-Row 'topics' $partitionSizes[-1] $ms 'pwsh, module imported' "topics$w"
        if ($small -and $large) {
            $null = $md.AppendLine("| listing memory$label, pwsh imported: peak RSS growth during the run, $($partitionSizes[-1].ToString('N0')) vs $($partitionSizes[0].ToString('N0')) partitions (MB) | $ms ms | $('{0:0.0} vs {1:0.0}' -f ($large.peak_rss_mb - $large.rss_before_mb), ($small.peak_rss_mb - $small.rss_before_mb)) |")
        }
    }
  }
}
New-Item -ItemType Directory -Force $OutDirectory | Out-Null
$mdPath = Join-Path $OutDirectory 'pwsh-benchmarks.md'
Set-Content -Path $mdPath -Value $md.ToString()
[ordered]@{ machine = $machine; results = $results } | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $OutDirectory 'pwsh-benchmarks.json')
Write-Host ''
Write-Host $md.ToString()
Write-Host "Written: $mdPath"
