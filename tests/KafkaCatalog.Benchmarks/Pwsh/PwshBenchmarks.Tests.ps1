# Smoke test of the pwsh benchmarks (tests/KafkaCatalog.Benchmarks/Invoke-PwshBenchmarks.ps1 -Smoke): tiny data
# (20 groups, 200 partitions, latency 0, one run each) against this installed package, so the script that fills
# docs/benchmarks.md keeps working. It checks what every run must get right (the seeded totals, request counts from
# TestKit, a peak memory read), never a time. Not part of the default test run: it starts about ten processes and took
# 2 minutes on the loaded 2-core build machine (the budget for the default run was 30 s). Run it with:
#   dotnet tool run pwsh -NoProfile -File build.ps1 -Task Pester -PesterPath tests/KafkaCatalog.Benchmarks/Pwsh/PwshBenchmarks.Tests.ps1

BeforeAll {
    Import-Module "$PSScriptRoot/../../Pester/TestHelpers.psm1" -Force
    $script:module = Import-KafkaCatalogUnderTest
    $testKit = Get-TestKitPath
    # .../tests/KafkaCatalog.TestKit/bin/<Configuration>/net10.0/KafkaCatalog.TestKit.dll
    $script:configuration = Split-Path (Split-Path (Split-Path $testKit -Parent) -Parent) -Leaf
    $script:out = Join-Path ([IO.Path]::GetTempPath()) "kafkacatalog-bench-smoke-$PID"
    $script:benchmarks = Join-Path $PSScriptRoot '../Invoke-PwshBenchmarks.ps1'
}

AfterAll {
    Remove-Item $script:out -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-PwshBenchmarks.ps1 -Smoke' {
    It 'runs Core, pwsh (imported and whole process) and kafka-python against the installed module and writes the tables' {
        $lines = Invoke-ChildPwsh -TimeoutSec 300 -Script "& '$script:benchmarks' -Smoke -Configuration '$script:configuration' -OutDirectory '$script:out'"
        $report = Get-Content (Join-Path $script:out 'pwsh-benchmarks.json') -Raw | ConvertFrom-Json
        $report.machine.module | Should -Be "$($script:module.Version)"
        @($report.results.tool | Sort-Object -Unique) | Should -Be @('Core service (.NET process)', 'kafka-python 2.0.2', 'pwsh, module imported', 'pwsh, whole process')
        foreach ($scenario in 'lag', 'topics') {
            $imported = @($report.results | Where-Object { $_.scenario -eq $scenario -and $_.tool -eq 'pwsh, module imported' -and $_.mode -eq $scenario })
            $imported.Count | Should -Be 1 -Because ($lines -join "`n")
            $imported[0].requests | Should -BeGreaterThan 0
            $imported[0].peak_rss_mb | Should -BeGreaterThan 0
            # The warm phase: the same variant timed again after the untimed repeats, in Core and in the session.
            foreach ($tool in 'pwsh, module imported', 'Core service (.NET process)') {
                $warmRows = @($report.results | Where-Object { $_.scenario -eq $scenario -and $_.tool -eq $tool -and $_.mode -like '*, warm' })
                $warmRows.Count | Should -BeGreaterThan 0 -Because "$tool has warm runs of $scenario"
                $warmRows | ForEach-Object { $_.requests | Should -BeGreaterThan 0 }
            }
        }
        # Listing every topic is one metadata request in Core and in the pwsh session (the connection is already made).
        ($report.results | Where-Object { $_.scenario -eq 'topics' -and $_.tool -eq 'Core service (.NET process)' }).request_detail | Should -Match '^Metadata \d+$'
        Get-Content (Join-Path $script:out 'pwsh-benchmarks.md') -Raw | Should -Match 'kafka-python job / pwsh imported pipeline'
        Get-Content (Join-Path $script:out 'pwsh-benchmarks.md') -Raw | Should -Match '\(warm\): pwsh imported pipeline / Core same calls'
    }
}
