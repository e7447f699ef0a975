#Requires -Version 7.4
<#
.SYNOPSIS
    The "module already imported" side of Invoke-PwshBenchmarks.ps1: one pwsh session that imports KafkaCatalog by
    name (the installed package), connects once, then runs one measured pipeline per line "run VARIANT" on standard
    input and answers each with one line "ok run {json}".
.DESCRIPTION
    Variants (the pipelines users type; Measure-Object gives the totals checked against the seeded data):
      lag             Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Measure-Object Lag -Sum
      lag-single      Get-KafkaConsumerGroupOffset | Measure-Object Lag -Sum   (one cmdlet, no describe upstream)
      lag-formatted   Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Out-String -Stream | Measure-Object
      lag-timelag     Get-KafkaConsumerGroupOffset -IncludeTimeLag | Where-Object TimeLag -ne $null | Measure-Object Lag -Sum
                      (lag-single with time lag; rows without a TimeLag drop out, so the totals check that every row has one)
      topics          Get-KafkaTopic | Measure-Object PartitionCount -Sum
      topics-formatted Get-KafkaTopic | Out-String -Stream | Measure-Object
    Time: a stopwatch around the pipeline. Memory: /proc/$PID/clear_refs is reset before each run, so peak_rss_kb
    (VmHWM) is this process's peak during that run; allocated_mb is the managed allocation of the run.
#>
param([Parameter(Mandatory)] [string] $BootstrapServer, [string] $ExpectedModuleBase)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Read-Status([string] $Field) {
    if (-not $IsLinux) { return -1 }
    [long](((Get-Content "/proc/$PID/status" | Where-Object { $_ -like "${Field}:*" }) -split '\s+')[1])
}

Import-Module KafkaCatalog
$module = Get-Module KafkaCatalog
if ($ExpectedModuleBase -and $module.ModuleBase -ne $ExpectedModuleBase) { throw "Imported KafkaCatalog from $($module.ModuleBase), expected $ExpectedModuleBase." }
Connect-KafkaCluster -BootstrapServer $BootstrapServer -Name bench | Out-Null

$pipelines = @{
    'lag'              = { Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Measure-Object Lag -Sum }
    'lag-single'       = { Get-KafkaConsumerGroupOffset | Measure-Object Lag -Sum }
    'lag-formatted'    = { Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Out-String -Stream | Measure-Object }
    'lag-timelag'      = { Get-KafkaConsumerGroupOffset -IncludeTimeLag | Where-Object TimeLag -ne $null | Measure-Object Lag -Sum }
    'topics'           = { Get-KafkaTopic | Measure-Object PartitionCount -Sum }
    'topics-formatted' = { Get-KafkaTopic | Out-String -Stream | Measure-Object }
}
[Console]::Out.WriteLine("ready KafkaCatalog $($module.Version) at $($module.ModuleBase); PowerShell $($PSVersionTable.PSVersion)")
[Console]::Out.Flush()
while ($null -ne ($line = [Console]::In.ReadLine())) {
    $words = -split $line
    if ($words.Count -ne 2 -or $words[0] -ne 'run' -or -not $pipelines.ContainsKey($words[1])) {
        [Console]::Out.WriteLine("error unknown command '$line'")
        [Console]::Out.Flush()
        continue
    }
    if ($IsLinux) { [IO.File]::WriteAllText("/proc/$PID/clear_refs", '5') }
    $rssBefore = Read-Status VmRSS
    $allocated = [GC]::GetTotalAllocatedBytes($false)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $m = & $pipelines[$words[1]]
    $seconds = $watch.Elapsed.TotalSeconds
    $result = [ordered]@{
        seconds       = $seconds
        rows          = $m.Count
        sum           = if ($null -ne $m.Sum) { [long]$m.Sum } else { 0 }
        rss_before_kb = $rssBefore
        peak_rss_kb   = Read-Status VmHWM
        allocated_mb  = ([GC]::GetTotalAllocatedBytes($false) - $allocated) / 1MB
    }
    [Console]::Out.WriteLine('ok run ' + ($result | ConvertTo-Json -Compress))
    [Console]::Out.Flush()
}
