using System.Reflection;
using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests.Rules;

/// <summary>
/// One "A | B" pipeline: B must bind A's output. <see cref="Supplied"/> lists the parameters the
/// user types on B's command line (so they need not come from the pipeline); "*" means "whatever
/// else B needs is typed" (rows whose arguments the design does not spell out).
/// A source of "Import-Csv" stands for PSCustomObjects whose string properties are <see cref="CsvColumns"/>.
/// </summary>
public sealed record PipelineRow(string Source, string Target, IReadOnlyList<string> Supplied, IReadOnlyList<string>? CsvColumns = null)
{
    public const string AnyOther = "*";
    public const string ImportCsv = "Import-Csv";

    public static PipelineRow Of(string source, string target, params string[] supplied) => new(source, target, supplied);

    public static PipelineRow Csv(string target, string[] columns, params string[] supplied) => new(ImportCsv, target, supplied, columns);

    public bool IsCsv => CsvColumns is not null;

    public IEnumerable<string> Cmdlets => IsCsv ? [Target] : [Source, Target];

    public override string ToString() =>
        $"{Source}{(IsCsv ? $" ({string.Join(",", CsvColumns!)})" : "")} | {Target}{string.Concat(Supplied.Select(s => s == AnyOther ? " ..." : $" -{s}"))}";
}

/// <summary>How one parameter of B is bound from the pipeline.</summary>
public sealed record PipelineBindingFound(CmdletParameter Parameter, string How);

public static class PipelineRules
{
    /// <summary>
    /// Checks that B binds A's output: some parameter of B takes it by value or by property name
    /// with a compatible type, and some parameter set of B then has every mandatory parameter
    /// either bound from the pipeline or supplied by the row. Returns the violations; fills
    /// <paramref name="bindings"/> with what binds (for the test log).
    /// </summary>
    public static IReadOnlyList<string> Check(ModuleUnderTest module, PipelineRow row, List<string> bindings)
    {
        var violations = new List<string>();
        var target = module.Assembly.Find(row.Target);
        if (target is null)
        {
            violations.Add($"{row}: cmdlet {row.Target} does not exist.");
        }
        CmdletDescriptor? source = null;
        if (!row.IsCsv)
        {
            source = module.Assembly.Find(row.Source);
            if (source is null)
            {
                violations.Add($"{row}: cmdlet {row.Source} does not exist.");
            }
        }
        if (target is null || (!row.IsCsv && source is null))
        {
            return violations.Distinct().ToList();
        }
        foreach (var supplied in row.Supplied.Where(s => s != PipelineRow.AnyOther && target.Parameter(s) is null))
        {
            violations.Add($"{row}: the row supplies -{supplied}, but {target.Name} has no such parameter.");
        }

        if (row.IsCsv)
        {
            var found = CsvBindings(target, row.CsvColumns!, violations);
            violations.AddRange(CheckParameterSets(row, target, found, "Import-Csv rows", bindings));
            return violations;
        }

        var outputs = source!.OutputTypes.Where(o => o.Type is not null).Select(o => o.Type!).ToList();
        if (outputs.Count == 0)
        {
            violations.Add($"{row}: {source.Name} declares no resolvable [OutputType], so nothing can be checked to bind.");
            return violations;
        }

        // Any one of A's output types binding is enough (e.g. a -PassThru type is an extra).
        var failures = new List<string>();
        foreach (var output in outputs)
        {
            var mismatches = new List<string>();
            var found = TypedBindings(module, target, output, mismatches);
            var log = new List<string>();
            var setProblems = CheckParameterSets(row, target, found, output.Name, log);
            if (setProblems.Count == 0)
            {
                bindings.AddRange(log);
                return violations;
            }
            failures.AddRange(setProblems);
            failures.AddRange(mismatches);
        }
        violations.AddRange(failures);
        return violations;
    }

    private static List<PipelineBindingFound> TypedBindings(ModuleUnderTest module, CmdletDescriptor target, Type output, List<string> mismatches)
    {
        var found = new List<PipelineBindingFound>();
        var properties = PublicProperties(output);
        foreach (var parameter in target.Parameters)
        {
            if (parameter.ByValue && TypeCompatibility.AcceptsValue(parameter.Type, output))
            {
                found.Add(new PipelineBindingFound(parameter, $"-{parameter.Name} <{ContractRules.FriendlyName(parameter.Type)}> ByValue from {output.Name}"));
                continue;
            }
            if (!parameter.ByPropertyName)
            {
                continue;
            }
            foreach (var name in parameter.Aliases.Prepend(parameter.Name))
            {
                if (!properties.TryGetValue(name, out var propertyType))
                {
                    continue;
                }
                if (TypeCompatibility.Compatible(propertyType, parameter.Type))
                {
                    found.Add(new PipelineBindingFound(parameter, $"-{parameter.Name} <{ContractRules.FriendlyName(parameter.Type)}> ByPropertyName from {output.Name}.{name} <{ContractRules.FriendlyName(propertyType)}>"));
                    break;
                }
                mismatches.Add($"{output.Name}.{name} is {ContractRules.FriendlyName(propertyType)}, which -{parameter.Name} <{ContractRules.FriendlyName(parameter.Type)}> of {target.Name} cannot take.");
            }
        }
        return found;
    }

    private static List<PipelineBindingFound> CsvBindings(CmdletDescriptor target, IReadOnlyList<string> columns, List<string> violations)
    {
        var found = new List<PipelineBindingFound>();
        foreach (var column in columns)
        {
            var parameter = target.Parameters.FirstOrDefault(p => p.ByPropertyName && p.Answers(column));
            if (parameter is null)
            {
                violations.Add($"Import-Csv | {target.Name}: CSV column '{column}' binds to no ValueFromPipelineByPropertyName parameter (name or alias) of {target.Name}.");
            }
            else if (!TypeCompatibility.ConvertibleFromString(parameter.Type))
            {
                violations.Add($"Import-Csv | {target.Name}: CSV column '{column}' binds -{parameter.Name}, whose type {ContractRules.FriendlyName(parameter.Type)} PowerShell cannot convert from a string.");
            }
            else
            {
                found.Add(new PipelineBindingFound(parameter, $"-{parameter.Name} <{ContractRules.FriendlyName(parameter.Type)}> ByPropertyName from CSV column '{column}' <String>"));
            }
        }
        return found;
    }

    private static List<string> CheckParameterSets(PipelineRow row, CmdletDescriptor target, List<PipelineBindingFound> found, string what, List<string> log)
    {
        if (!found.Any(f => !f.Parameter.Hidden))
        {
            var hidden = found.Count == 0 ? "" : $" (only hidden {string.Join(", ", found.Select(f => "-" + f.Parameter.Name))} would)";
            return [$"{row}: no parameter of {target.Name} binds {what} (by value, or by property name with a compatible type){hidden}."];
        }
        var anyOther = row.Supplied.Contains(PipelineRow.AnyOther);
        var problems = new List<string>();
        foreach (var set in target.ParameterSetNames)
        {
            var boundHere = found.Where(f => f.Parameter.InSet(set)).ToList();
            // A hidden (DontShow) parameter such as -ConnectionName rides along; it does not make a pipeline.
            if (!boundHere.Any(f => !f.Parameter.Hidden))
            {
                continue;
            }
            var missing = target.Parameters
                .Where(p => p.Bindings.Any(b => b.Mandatory && (b.ParameterSetName == set || b.ParameterSetName == ParameterBinding.AllParameterSets)))
                .Where(p => !boundHere.Any(f => f.Parameter == p) && !row.Supplied.Any(s => p.Answers(s)))
                .Select(p => $"-{p.Name}")
                .ToList();
            if (missing.Count == 0 || anyOther)
            {
                log.Add($"{row}: parameter set '{set}': {string.Join("; ", boundHere.Select(f => f.How))}");
                return [];
            }
            problems.Add($"{row}: in parameter set '{set}' of {target.Name}, mandatory {string.Join(", ", missing)} neither binds from {what} nor is supplied by the row (add it to the row's supplied parameters if the user types it).");
        }
        if (problems.Count == 0)
        {
            problems.Add($"{row}: the parameters of {target.Name} that bind {what} share no parameter set with a visible binding.");
        }
        return problems;
    }

    private static Dictionary<string, Type> PublicProperties(Type type)
    {
        var result = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                result.TryAdd(property.Name, property.PropertyType);
            }
        }
        return result;
    }
}

/// <summary>What PowerShell's parameter binder converts, as far as the contract needs to know.</summary>
public static class TypeCompatibility
{
    private static readonly HashSet<string> Numeric =
    [
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
    ];

    private static readonly HashSet<string> OtherScalars =
    [
        "System.String", "System.Boolean", "System.Char", "System.DateTime", "System.DateTimeOffset",
        "System.TimeSpan", "System.Guid", "System.Uri", "System.Version",
    ];

    /// <summary>Parsed from a string by PowerShell's conversions (bool and switches are not: "false" is truthy).</summary>
    private static readonly HashSet<string> FromString =
    [
        "System.String", "System.Char", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan",
        "System.Guid", "System.Uri", "System.Version", "System.Object",
    ];

    public static Type Unwrap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    public static bool IsScalar(Type type)
    {
        type = Unwrap(type);
        return type.IsEnum || (type.FullName is { } n && (Numeric.Contains(n) || OtherScalars.Contains(n)));
    }

    private static bool IsAnything(Type type) =>
        type.FullName is "System.Object" or "System.Management.Automation.PSObject";

    /// <summary>A property of type <paramref name="property"/> binds a parameter of type <paramref name="parameter"/>.</summary>
    public static bool Compatible(Type property, Type parameter)
    {
        property = Unwrap(property);
        parameter = Unwrap(parameter);
        if (IsAnything(parameter) || parameter.IsAssignableFrom(property))
        {
            return true;
        }
        if (parameter.FullName == "System.String" && IsScalar(property))
        {
            return true;
        }
        if (parameter.FullName == "System.Management.Automation.SwitchParameter" && property.FullName == "System.Boolean")
        {
            return true;
        }
        if (parameter.FullName is { } p && Numeric.Contains(p) && property.FullName is { } q && Numeric.Contains(q))
        {
            return true;
        }
        if (parameter.IsArray)
        {
            var element = parameter.GetElementType()!;
            if (Compatible(property, element))
            {
                return true; // a scalar is wrapped in a one-element array
            }
            return ElementType(property) is { } propertyElement && Compatible(propertyElement, element);
        }
        return false;
    }

    /// <summary>An object of type <paramref name="value"/> binds a ValueFromPipeline parameter of type <paramref name="parameter"/>.</summary>
    public static bool AcceptsValue(Type parameter, Type value)
    {
        parameter = Unwrap(parameter);
        if (IsAnything(parameter) || parameter.IsAssignableFrom(value))
        {
            return true;
        }
        return parameter.IsArray && (IsAnything(parameter.GetElementType()!) || parameter.GetElementType()!.IsAssignableFrom(value));
    }

    public static bool ConvertibleFromString(Type parameter)
    {
        parameter = Unwrap(parameter);
        if (parameter.IsArray)
        {
            return ConvertibleFromString(parameter.GetElementType()!);
        }
        return parameter.IsEnum || (parameter.FullName is { } n && (Numeric.Contains(n) || FromString.Contains(n)));
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.FullName == "System.String")
        {
            return null;
        }
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IEnumerable`1"
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IEnumerable`1");
        return enumerable?.GetGenericArguments()[0];
    }
}
