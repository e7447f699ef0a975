@{
    RootModule        = 'ClashingDependencies.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '0c2f7f0e-3b6f-4e59-9d55-3c1a4f5b8e21'
    Description       = 'Test fixture: loads YamlDotNet 13.7.1 and Polly.Core 8.4.2 into the default load context, as another module with older dependencies would.'
    FunctionsToExport = @('Get-ClashingDependency')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
