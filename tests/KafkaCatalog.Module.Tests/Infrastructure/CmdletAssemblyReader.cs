using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaCatalog.Module.Tests.Infrastructure;

/// <summary>
/// A compiled cmdlet assembly read as metadata (never executed) in a MetadataLoadContext that
/// resolves: the running .NET's framework assemblies, PowerShellStandard.Library's reference
/// System.Management.Automation.dll, and every other dll next to the cmdlet assembly. The context
/// stays open for the test run: the Type objects in the descriptors belong to it.
/// </summary>
public sealed class CmdletAssembly
{
    private const string SmaFileName = "System.Management.Automation.dll";
    private static readonly ConcurrentDictionary<string, CmdletAssembly> Cache = new(StringComparer.Ordinal);

    private readonly MetadataLoadContext _context;

    public string AssemblyPath { get; }
    public Assembly Assembly { get; }
    public IReadOnlyList<CmdletDescriptor> Cmdlets { get; }

    private CmdletAssembly(string assemblyPath, string powerShellReferenceAssembly)
    {
        AssemblyPath = Path.GetFullPath(assemblyPath);
        var folder = Path.GetDirectoryName(AssemblyPath)!;
        var runtimeAssemblies = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
        var moduleAssemblies = Directory.GetFiles(folder, "*.dll")
            .Where(f => !Path.GetFileName(f).Equals(SmaFileName, StringComparison.OrdinalIgnoreCase));
        var resolver = new PathAssemblyResolver(
            runtimeAssemblies.Concat(moduleAssemblies).Append(powerShellReferenceAssembly));
        _context = new MetadataLoadContext(resolver);
        Assembly = _context.LoadFromAssemblyPath(AssemblyPath);
        Cmdlets = ReadCmdlets();
    }

    /// <summary>Reads (once per path) the cmdlet assembly at <paramref name="assemblyPath"/>.</summary>
    public static CmdletAssembly Load(string assemblyPath, string powerShellReferenceAssembly) =>
        Cache.GetOrAdd(Path.GetFullPath(assemblyPath), p => new CmdletAssembly(p, powerShellReferenceAssembly));

    public CmdletDescriptor? Find(string name) =>
        Cmdlets.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A type by full name from any assembly of the context (the module's dlls, the framework, SMA).</summary>
    public Type? ResolveType(string fullName)
    {
        var type = Assembly.GetType(fullName, throwOnError: false);
        if (type is not null)
        {
            return type;
        }
        foreach (var candidate in CandidateAssemblies())
        {
            type = candidate.GetType(fullName, throwOnError: false);
            if (type is not null)
            {
                return type;
            }
        }
        return null;
    }

    private IEnumerable<Assembly> CandidateAssemblies()
    {
        yield return _context.CoreAssembly!;
        var folder = Path.GetDirectoryName(AssemblyPath)!;
        foreach (var file in Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).Equals(SmaFileName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            Assembly? loaded = null;
            try
            {
                loaded = _context.LoadFromAssemblyPath(file);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                // Not a managed assembly, or one the context already has under another path.
            }
            if (loaded is not null)
            {
                yield return loaded;
            }
        }
        foreach (var name in new[] { "System.Management.Automation", "System.Runtime", "System.Collections" })
        {
            Assembly? loaded = null;
            try
            {
                loaded = _context.LoadFromAssemblyName(name);
            }
            catch (FileNotFoundException)
            {
            }
            if (loaded is not null)
            {
                yield return loaded;
            }
        }
    }

    private IReadOnlyList<CmdletDescriptor> ReadCmdlets()
    {
        var result = new List<CmdletDescriptor>();
        Type[] types;
        try
        {
            types = Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // A type whose base or members cannot be resolved is not a cmdlet PowerShell could load either.
            types = e.Types.OfType<Type>().ToArray();
        }
        foreach (var type in types)
        {
            if (!type.IsClass || type.IsAbstract || !type.IsPublic)
            {
                continue;
            }
            var cmdlet = Attribute(type.GetCustomAttributesData(), "System.Management.Automation.CmdletAttribute");
            if (cmdlet is null)
            {
                continue;
            }
            result.Add(ReadCmdlet(type, cmdlet));
        }
        return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private CmdletDescriptor ReadCmdlet(Type type, CustomAttributeData cmdlet)
    {
        var attributes = type.GetCustomAttributesData();
        var confirmImpact = Named<object>(cmdlet, "ConfirmImpact") is { } impact
            ? Convert.ToInt32(impact) switch
            {
                0 => "None",
                1 => "Low",
                2 => "Medium",
                3 => "High",
                var other => other.ToString(),
            }
            : "Medium";
        return new CmdletDescriptor(
            Verb: (string)cmdlet.ConstructorArguments[0].Value!,
            Noun: (string)cmdlet.ConstructorArguments[1].Value!,
            ImplementingType: type,
            SupportsShouldProcess: Named<bool>(cmdlet, "SupportsShouldProcess"),
            ConfirmImpact: confirmImpact,
            DefaultParameterSetName: Named<string>(cmdlet, "DefaultParameterSetName"),
            OutputTypes: ReadOutputTypes(attributes),
            Aliases: Attributes(attributes, "System.Management.Automation.AliasAttribute").SelectMany(StringArguments).ToList(),
            Parameters: ReadParameters(type));
    }

    private List<CmdletOutputType> ReadOutputTypes(IList<CustomAttributeData> attributes)
    {
        var result = new List<CmdletOutputType>();
        foreach (var outputType in Attributes(attributes, "System.Management.Automation.OutputTypeAttribute"))
        {
            var sets = Named<ReadOnlyCollection<CustomAttributeTypedArgument>>(outputType, "ParameterSetName")
                ?.Select(a => (string)a.Value!).ToList() ?? [];
            foreach (var argument in outputType.ConstructorArguments.SelectMany(Flatten))
            {
                switch (argument.Value)
                {
                    case Type t:
                        result.Add(new CmdletOutputType(t.FullName ?? t.Name, t, sets));
                        break;
                    case string name:
                        result.Add(new CmdletOutputType(name, ResolveType(name), sets));
                        break;
                }
            }
        }
        return result;
    }

    private static List<CmdletParameter> ReadParameters(Type type)
    {
        var members = new List<(MemberInfo Member, Type Type)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Most derived first: a "new" property hides the base one, as in PowerShell.
        for (var current = type; current is not null; current = current.BaseType)
        {
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var property in current.GetProperties(flags))
            {
                if (seen.Add(property.Name))
                {
                    members.Add((property, property.PropertyType));
                }
            }
            foreach (var field in current.GetFields(flags))
            {
                if (seen.Add(field.Name))
                {
                    members.Add((field, field.FieldType));
                }
            }
        }

        var result = new List<CmdletParameter>();
        foreach (var (member, memberType) in members)
        {
            var attributes = member.GetCustomAttributesData();
            var bindings = Attributes(attributes, "System.Management.Automation.ParameterAttribute")
                .Select(p => new ParameterBinding(
                    ParameterSetName: Named<string>(p, "ParameterSetName") ?? ParameterBinding.AllParameterSets,
                    Mandatory: Named<bool>(p, "Mandatory"),
                    Position: Named<object>(p, "Position") is { } position && (int)position != int.MinValue ? (int)position : null,
                    ValueFromPipeline: Named<bool>(p, "ValueFromPipeline"),
                    ValueFromPipelineByPropertyName: Named<bool>(p, "ValueFromPipelineByPropertyName"),
                    DontShow: Named<bool>(p, "DontShow")))
                .ToList();
            if (bindings.Count == 0)
            {
                continue;
            }
            result.Add(new CmdletParameter(
                Name: member.Name,
                Type: memberType,
                Aliases: Attributes(attributes, "System.Management.Automation.AliasAttribute").SelectMany(StringArguments).ToList(),
                Bindings: bindings,
                SupportsWildcards: Attribute(attributes, "System.Management.Automation.SupportsWildcardsAttribute") is not null,
                ValidateSet: Attributes(attributes, "System.Management.Automation.ValidateSetAttribute").SelectMany(StringArguments).ToList()));
        }
        return result;
    }

    private static IEnumerable<CustomAttributeTypedArgument> Flatten(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items : [argument];

    private static IEnumerable<string> StringArguments(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.SelectMany(Flatten).Select(a => a.Value).OfType<string>();

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string fullName) =>
        Attributes(attributes, fullName).FirstOrDefault();

    private static IEnumerable<CustomAttributeData> Attributes(IEnumerable<CustomAttributeData> attributes, string fullName) =>
        attributes.Where(a => a.AttributeType.FullName == fullName);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name && argument.TypedValue.Value is T value)
            {
                return value;
            }
        }
        return default;
    }
}
