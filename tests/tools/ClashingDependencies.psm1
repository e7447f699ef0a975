# Loads other versions of assemblies KafkaCatalog depends on into the default load context.
$script:Loaded = foreach ($name in 'YamlDotNet', 'Polly.Core') {
    [System.Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot "$name.dll"))
}

function Get-ClashingDependency {
    # The assemblies this module loaded, with their version and load context.
    foreach ($assembly in $script:Loaded) {
        [pscustomobject]@{
            Name        = $assembly.GetName().Name
            Version     = $assembly.GetName().Version
            LoadContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name
            # Using the assembly, not only loading it: a deserializer from this YamlDotNet.
            Works       = if ($assembly.GetName().Name -eq 'YamlDotNet') {
                $builder = $assembly.GetType('YamlDotNet.Serialization.DeserializerBuilder')
                $deserializer = [Activator]::CreateInstance($builder).Build()
                $deserializer.Deserialize[object]('a: 1')['a'] -eq '1'
            } else { $null -ne $assembly.GetType('Polly.ResiliencePipelineBuilder') }
        }
    }
}
