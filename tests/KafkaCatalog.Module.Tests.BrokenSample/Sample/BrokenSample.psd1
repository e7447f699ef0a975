# The broken sample's manifest. Deliberate faults: Start-KafkaGadget is not exported,
# Get-KafkaGhost and the alias 'ghost' do not exist, Missing.format.ps1xml does not exist.
@{
    RootModule        = 'KafkaCatalog.Module.Tests.BrokenSample.dll'
    ModuleVersion     = '0.0.1'
    PowerShellVersion = '7.4'
    CompatiblePSEditions = 'Core'
    FormatsToProcess  = @(
        'Sample.format.ps1xml'
        'Missing.format.ps1xml'
    )
    CmdletsToExport   = @(
        'Connect-KafkaWidgetCluster', 'Get-KafkaWidget', 'Remove-KafkaWidget', 'New-KafkaWidget'
        'Grab-KafkaWidget'
        'Get-Widget'
        'Get-KafkaWidgets'
        'Get-KafkaGadget'
        'Get-KafkaGizmo'
        'Remove-KafkaGadget'
        'Reset-KafkaGadget'
        'Set-KafkaGadget'
        'New-KafkaGadget'
        'Get-KafkaGauge'
        'Get-KafkaSprocket'
        'Get-KafkaGhost'   # does not exist
    )
    AliasesToExport   = @('gkw', 'ghost')
    PrivateData       = @{
        PSData = @{
            Tags = @('Sample', "Quoted ""double"" tag", 'It''s')
        }
    }
}
