namespace KafkaCatalog.Module.Tests.Infrastructure;

/// <summary>One [Parameter] attribute of a parameter (a parameter has one per parameter set).</summary>
public sealed record ParameterBinding(
    string ParameterSetName,
    bool Mandatory,
    int? Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName,
    bool DontShow = false)
{
    public const string AllParameterSets = "__AllParameterSets";
}

/// <summary>A cmdlet parameter as the compiled assembly declares it (types are MetadataLoadContext types).</summary>
public sealed record CmdletParameter(
    string Name,
    Type Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterBinding> Bindings,
    bool SupportsWildcards,
    IReadOnlyList<string> ValidateSet)
{
    public bool IsSwitch => Type.FullName == "System.Management.Automation.SwitchParameter";

    /// <summary>[Parameter(DontShow = true)] everywhere: hidden from help and completion (PlatyPS leaves it out).</summary>
    public bool Hidden => Bindings.Count > 0 && Bindings.All(b => b.DontShow);

    public bool Mandatory => Bindings.Any(b => b.Mandatory);

    public bool ByPropertyName => Bindings.Any(b => b.ValueFromPipelineByPropertyName);

    public bool ByValue => Bindings.Any(b => b.ValueFromPipeline);

    /// <summary>True when the name or one of the aliases is <paramref name="name"/> (case-insensitive, as PowerShell binds).</summary>
    public bool Answers(string name) =>
        Name.Equals(name, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase));

    public bool InSet(string setName) =>
        Bindings.Any(b => b.ParameterSetName == ParameterBinding.AllParameterSets || b.ParameterSetName == setName);
}

/// <summary>An [OutputType] entry: the name as written and the type it resolves to (null: unresolvable).</summary>
public sealed record CmdletOutputType(string Name, Type? Type, IReadOnlyList<string> ParameterSetNames);

/// <summary>A cmdlet class as the compiled assembly declares it.</summary>
public sealed record CmdletDescriptor(
    string Verb,
    string Noun,
    Type ImplementingType,
    bool SupportsShouldProcess,
    string ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<CmdletOutputType> OutputTypes,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<CmdletParameter> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    public CmdletParameter? Parameter(string nameOrAlias) =>
        Parameters.FirstOrDefault(p => p.Name.Equals(nameOrAlias, StringComparison.OrdinalIgnoreCase))
        ?? Parameters.FirstOrDefault(p => p.Answers(nameOrAlias));

    /// <summary>The named parameter sets (the implicit all-sets set when no parameter names one).</summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Bindings)
                .Select(b => b.ParameterSetName)
                .Where(n => n != ParameterBinding.AllParameterSets)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (named.Count > 0 && DefaultParameterSetName is { } defaultSet && !named.Contains(defaultSet, StringComparer.Ordinal))
            {
                named.Insert(0, defaultSet); // a default set no parameter names still exists (all-sets parameters only)
            }
            return named.Count == 0 ? [ParameterBinding.AllParameterSets] : named;
        }
    }

    public override string ToString() => Name;
}

/// <summary>PowerShell's common parameters (added by the engine, not declared by cmdlets).</summary>
public static class CommonParameters
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer",
        "PipelineVariable",
    };

    /// <summary>Added by the engine when the cmdlet declares SupportsShouldProcess.</summary>
    public static readonly IReadOnlySet<string> ShouldProcessNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "WhatIf", "Confirm",
    };
}
