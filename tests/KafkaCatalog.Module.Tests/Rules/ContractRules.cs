using System.Text.RegularExpressions;
using System.Xml.Linq;
using KafkaCatalog.HelpGenerator;
using KafkaCatalog.Module.Tests.Infrastructure;
using static KafkaCatalog.Module.Tests.Rules.ContractTables;

namespace KafkaCatalog.Module.Tests.Rules;

/// <summary>
/// The contract rules. Each returns the violations it finds (empty: the rule holds), each naming
/// the cmdlet or file, so the theories over KafkaCatalog assert emptiness and the BrokenSample
/// tests assert that specific violations are reported.
/// </summary>
public static partial class ContractRules
{
    // ------------------------------------------------------------------ per cmdlet

    public static IReadOnlyList<string> ApprovedVerb(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (!ApprovedVerbs.ContainsKey(cmdlet.Verb))
        {
            violations.Add($"{cmdlet.Name}: '{cmdlet.Verb}' is not an approved verb (Get-Verb).");
        }
        else if (!ApprovedVerbs.Keys.Contains(cmdlet.Verb, StringComparer.Ordinal))
        {
            var approved = ApprovedVerbs.Keys.First(v => v.Equals(cmdlet.Verb, StringComparison.OrdinalIgnoreCase));
            violations.Add($"{cmdlet.Name}: verb '{cmdlet.Verb}' should be spelled '{approved}'.");
        }
        return violations;
    }

    public static IReadOnlyList<string> NounConvention(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (!NounPrefixes.Any(p => cmdlet.Noun.StartsWith(p, StringComparison.Ordinal)))
        {
            violations.Add($"{cmdlet.Name}: noun '{cmdlet.Noun}' does not start with {string.Join(", ", NounPrefixes)}.");
        }
        var words = PascalWords().Matches(cmdlet.Noun).Select(m => m.Value).ToList();
        var last = words.Count > 0 ? words[^1] : cmdlet.Noun;
        if (last.EndsWith('s')
            && !last.EndsWith("ss", StringComparison.Ordinal)
            && !last.EndsWith("us", StringComparison.Ordinal)
            && !last.EndsWith("is", StringComparison.Ordinal)
            && !SingularWordsEndingInS.Contains(last))
        {
            violations.Add($"{cmdlet.Name}: noun '{cmdlet.Noun}' looks plural ('{last}'); PowerShell nouns are singular.");
        }
        return violations;
    }

    public static IReadOnlyList<string> OutputTypeDeclared(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (cmdlet.OutputTypes.Count == 0)
        {
            violations.Add($"{cmdlet.Name}: no [OutputType] declared.");
        }
        foreach (var output in cmdlet.OutputTypes.Where(o => o.Type is null))
        {
            violations.Add($"{cmdlet.Name}: [OutputType] '{output.Name}' does not resolve to a type.");
        }
        return violations;
    }

    public static IReadOnlyList<string> ShouldProcess(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (StateChangingVerbs.Contains(cmdlet.Verb) && !cmdlet.SupportsShouldProcess)
        {
            violations.Add($"{cmdlet.Name}: '{cmdlet.Verb}' changes state but the cmdlet does not declare SupportsShouldProcess (-WhatIf/-Confirm).");
        }
        if (HighImpactVerbs.Contains(cmdlet.Verb) && cmdlet.ConfirmImpact != "High")
        {
            violations.Add($"{cmdlet.Name}: '{cmdlet.Verb}' must declare ConfirmImpact.High (declares {cmdlet.ConfirmImpact}).");
        }
        return violations;
    }

    public static IReadOnlyList<string> ForceParameter(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (!ForceVerbs.Contains(cmdlet.Verb))
        {
            return violations;
        }
        var force = cmdlet.Parameters.FirstOrDefault(p => p.Name.Equals("Force", StringComparison.OrdinalIgnoreCase));
        if (force is null)
        {
            violations.Add($"{cmdlet.Name}: '{cmdlet.Verb}' cmdlets need a -Force switch that skips confirmation.");
        }
        else if (!force.IsSwitch)
        {
            violations.Add($"{cmdlet.Name}: -Force is {force.Type.Name}, expected SwitchParameter.");
        }
        return violations;
    }

    /// <summary>The connection parameter names expected for a cmdlet, or null when it is exempt.</summary>
    public static IReadOnlyList<string>? ExpectedConnectionParameters(CmdletDescriptor cmdlet)
    {
        if (ConnectionExemptVerbs.Contains(cmdlet.Verb) || ConnectionExemptCmdlets.Contains(cmdlet.Name))
        {
            return null;
        }
        var prefix = ConnectionParameterByNounPrefix.Keys
            .Where(p => cmdlet.Noun.StartsWith(p, StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)
            .FirstOrDefault();
        return prefix is null ? null : ConnectionParameterByNounPrefix[prefix];
    }

    public static IReadOnlyList<string> ConnectionParameter(CmdletDescriptor cmdlet)
    {
        var expected = ExpectedConnectionParameters(cmdlet);
        if (expected is null || expected.Any(name => cmdlet.Parameters.Any(p => p.Answers(name))))
        {
            return [];
        }
        return [$"{cmdlet.Name}: no -{string.Join(" / -", expected)} parameter (every cmdlet of its area takes one and falls back to the session default)."];
    }

    public static IReadOnlyList<string> FilterParametersTakeArraysAndWildcards(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        if (!FilterVerbs.Contains(cmdlet.Verb))
        {
            return violations;
        }
        foreach (var parameter in cmdlet.Parameters.Where(p => FilterParameters.Contains(p.Name)))
        {
            if (!TypeCompatibility.Unwrap(parameter.Type).IsArray)
            {
                violations.Add($"{cmdlet.Name}: filter -{parameter.Name} is {FriendlyName(parameter.Type)}; it should take an array (String[]).");
            }
            if (!parameter.SupportsWildcards)
            {
                violations.Add($"{cmdlet.Name}: filter -{parameter.Name} has no [SupportsWildcards]; filters accept wildcards.");
            }
        }
        return violations;
    }

    /// <summary>Secret-named parameters are SecureString/PSCredential; output types carry no plain-string secret.</summary>
    public static IReadOnlyList<string> SecretsAreSecure(CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        foreach (var parameter in cmdlet.Parameters.Where(p => !p.IsSwitch && IsSecretName(p.Name)))
        {
            var type = TypeCompatibility.Unwrap(parameter.Type);
            if (type.FullName is null || !SecretTypes.Contains(type.FullName))
            {
                violations.Add($"{cmdlet.Name}: -{parameter.Name} holds a secret but is {FriendlyName(parameter.Type)}; use SecureString or PSCredential.");
            }
        }
        foreach (var output in cmdlet.OutputTypes.Where(o => o.Type is not null && IsOwnType(o.Type)))
        {
            var type = output.Type!.IsArray ? output.Type.GetElementType()! : output.Type;
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                if (IsSecretName(property.Name) && property.PropertyType.FullName == "System.String")
                {
                    violations.Add($"{cmdlet.Name}: output type {type.FullName} exposes secret-named {property.Name} as a plain String (it would show in Format-List and ConvertTo-Json).");
                }
            }
        }
        return violations;
    }

    private static bool IsSecretName(string name) =>
        SecretNameSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<string> ExportedByManifest(ModuleUnderTest module, CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        var exported = module.Manifest.Strings("CmdletsToExport");
        if (!exported.Contains(cmdlet.Name, StringComparer.OrdinalIgnoreCase) && !exported.Contains("*"))
        {
            violations.Add($"{cmdlet.Name}: not listed in {Path.GetFileName(module.ManifestPath)} CmdletsToExport.");
        }
        var aliases = module.Manifest.Strings("AliasesToExport");
        foreach (var alias in cmdlet.Aliases.Where(a => !aliases.Contains(a, StringComparer.OrdinalIgnoreCase) && !aliases.Contains("*")))
        {
            violations.Add($"{cmdlet.Name}: alias '{alias}' is not listed in {Path.GetFileName(module.ManifestPath)} AliasesToExport.");
        }
        return violations;
    }

    /// <summary>
    /// The parameters a docs page must list: declared ones except DontShow ones (PlatyPS's
    /// -ExcludeDontShow leaves them out), plus -WhatIf/-Confirm with ShouldProcess.
    /// </summary>
    public static IReadOnlyList<string> DocumentableParameters(CmdletDescriptor cmdlet) =>
        cmdlet.Parameters.Where(p => !p.Hidden).Select(p => p.Name)
            .Concat(cmdlet.SupportsShouldProcess ? CommonParameters.ShouldProcessNames.Order() : [])
            .ToList();

    /// <summary>The parameters a docs page may list: the documentable ones plus DontShow ones (PlatyPS's default keeps them).</summary>
    public static IReadOnlyList<string> AllowedDocumentedParameters(CmdletDescriptor cmdlet) =>
        DocumentableParameters(cmdlet).Concat(cmdlet.Parameters.Where(p => p.Hidden).Select(p => p.Name)).ToList();

    public static IReadOnlyList<string> DocPage(ModuleUnderTest module, CmdletDescriptor cmdlet)
    {
        var page = $"docs/{cmdlet.Name}.md";
        if (!module.DocPages.TryGetValue(cmdlet.Name, out var doc))
        {
            return [$"{cmdlet.Name}: {page} does not exist."];
        }
        var violations = new List<string>();
        if (!doc.Title.Equals(cmdlet.Name, StringComparison.Ordinal))
        {
            violations.Add($"{cmdlet.Name}: {page} title is '# {doc.Title}', expected '# {cmdlet.Name}'.");
        }
        foreach (var section in PlatyPsDocument.RequiredSections.Where(s => doc.Section(s) is null))
        {
            violations.Add($"{cmdlet.Name}: {page} has no '## {section}' section.");
        }
        if (doc.Section("SYNOPSIS") is not null && doc.Synopsis.Length == 0)
        {
            violations.Add($"{cmdlet.Name}: {page} SYNOPSIS is empty.");
        }
        if (doc.Section("DESCRIPTION") is not null && doc.Description.Length == 0)
        {
            violations.Add($"{cmdlet.Name}: {page} DESCRIPTION is empty.");
        }
        if (doc.Section("SYNTAX") is not null && doc.SyntaxSets.All(s => s.Code.Trim().Length == 0))
        {
            violations.Add($"{cmdlet.Name}: {page} SYNTAX has no code block.");
        }
        var sets = cmdlet.ParameterSetNames;
        if (doc.Section("SYNTAX") is not null && sets.Count > 1)
        {
            // PlatyPS: one "### <SetName>" per parameter set, "(Default)" on the default one;
            // the help generator builds each syntax item from these.
            var documentedSets = doc.SyntaxSets.Select(s => s.Name).ToList();
            var bare = doc.Section("SYNTAX")!.Subsections.Count == 0;
            if (bare)
            {
                violations.Add($"{cmdlet.Name}: {page} SYNTAX has bare code blocks, but the cmdlet has parameter sets {string.Join(", ", sets)}: write one '### <SetName>' heading per set ('### {cmdlet.DefaultParameterSetName ?? sets[0]} (Default)' first), as PlatyPS does; the help generator builds each syntax item from them.");
                documentedSets = sets.ToList();
            }
            foreach (var set in sets.Where(s => !documentedSets.Contains(s, StringComparer.OrdinalIgnoreCase)))
            {
                violations.Add($"{cmdlet.Name}: {page} SYNTAX has no '### {set}{(set == cmdlet.DefaultParameterSetName ? " (Default)" : "")}' entry (the cmdlet has parameter sets {string.Join(", ", sets)}).");
            }
            foreach (var set in documentedSets.Where(s => !sets.Contains(s, StringComparer.OrdinalIgnoreCase)))
            {
                violations.Add($"{cmdlet.Name}: {page} SYNTAX has '### {set}', which is not a parameter set of the cmdlet ({string.Join(", ", sets)}).");
            }
            if (!bare
                && cmdlet.DefaultParameterSetName is { } defaultSet
                && doc.SyntaxSets.FirstOrDefault(s => s.IsDefault) is var marked
                && !string.Equals(marked?.Name, defaultSet, StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{cmdlet.Name}: {page} SYNTAX marks '{marked?.Name ?? "nothing"}' as (Default), the cmdlet's default parameter set is '{defaultSet}'.");
            }
        }

        var examples = doc.Examples;
        if (examples.Count < MinimumExamples)
        {
            violations.Add($"{cmdlet.Name}: {page} has {examples.Count} example(s) under EXAMPLES, expected at least {MinimumExamples}.");
        }
        foreach (var example in examples.Where(e => !e.CodeBlocks.Any(c => c.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase) && c.Text.Trim().Length > 0)))
        {
            violations.Add($"{cmdlet.Name}: {page} example '{example.Title}' has no ```powershell block.");
        }

        var documented = doc.Parameters;
        var expected = DocumentableParameters(cmdlet);
        foreach (var name in expected.Where(n => !documented.Any(d => d.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
        {
            violations.Add($"{cmdlet.Name}: {page} PARAMETERS does not document -{name}.");
        }
        var allowed = AllowedDocumentedParameters(cmdlet);
        foreach (var extra in documented.Where(d => !allowed.Contains(d.Name, StringComparer.OrdinalIgnoreCase) && !CommonParameters.Names.Contains(d.Name)))
        {
            violations.Add($"{cmdlet.Name}: {page} PARAMETERS documents -{extra.Name}, which the cmdlet does not have.");
        }
        foreach (var parameter in documented.Where(d => d.Metadata.Count == 0))
        {
            violations.Add($"{cmdlet.Name}: {page} -{parameter.Name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, ...).");
        }

        if (doc.Section("OUTPUTS") is not null)
        {
            foreach (var output in cmdlet.OutputTypes.Where(o => o.Type is not null))
            {
                var fullName = output.Type!.FullName ?? output.Name;
                if (!doc.Outputs.Any(o => o.TypeName.Equals(fullName, StringComparison.Ordinal) || o.TypeName.Equals(output.Type.Name, StringComparison.Ordinal)))
                {
                    violations.Add($"{cmdlet.Name}: {page} OUTPUTS has no '### {fullName}' entry for its [OutputType].");
                }
            }
        }
        return violations;
    }

    /// <summary>
    /// In the examples of a cmdlet's page, every -Parameter written after one of the module's
    /// cmdlets (up to the next | ; ( ) { } or line end) is a parameter, alias, unambiguous prefix
    /// or common parameter of that cmdlet: examples go stale when parameters are renamed.
    /// </summary>
    public static IReadOnlyList<string> DocExamplesUseExistingParameters(ModuleUnderTest module, CmdletDescriptor cmdlet)
    {
        if (!module.DocPages.TryGetValue(cmdlet.Name, out var doc))
        {
            return [];
        }
        var page = $"docs/{cmdlet.Name}.md";
        var violations = new List<string>();
        foreach (var example in doc.Examples)
        {
            foreach (var block in example.CodeBlocks.Where(c => c.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase)))
            {
                var code = ExampleCode(block.Text);
                foreach (var used in module.Cmdlets)
                {
                    foreach (Match match in Regex.Matches(code, $@"(?<![\w-]){Regex.Escape(used.Name)}(?![\w-])", RegexOptions.IgnoreCase))
                    {
                        var rest = code[(match.Index + match.Length)..];
                        var end = rest.IndexOfAny(['|', ';', '\n', '(', ')', '{', '}']);
                        var segment = end < 0 ? rest : rest[..end];
                        foreach (Match parameter in ExampleParameter().Matches(segment))
                        {
                            var name = parameter.Groups["name"].Value;
                            if (!ParameterExists(used, name))
                            {
                                violations.Add($"{cmdlet.Name}: {page} example '{example.Title}' uses {used.Name} -{name}, which is not a parameter of {used.Name}.");
                            }
                        }
                    }
                }
            }
        }
        return violations.Distinct().ToList();
    }

    /// <summary>Example code with prompts, comments, line continuations and string contents removed.</summary>
    private static string ExampleCode(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n')
            .Select(l => l.TrimStart())
            .Select(l => l.StartsWith("PS>", StringComparison.Ordinal) ? l[3..]
                : l.StartsWith("PS ", StringComparison.Ordinal) && l.Contains('>') ? l[(l.IndexOf('>') + 1)..]
                : l)
            .Where(l => !l.TrimStart().StartsWith('#'));
        var code = string.Join("\n", lines);
        code = Regex.Replace(code, "<#.*?#>", " ", RegexOptions.Singleline);
        code = Regex.Replace(code, "`[ \t]*\n", " ");
        code = Regex.Replace(code, "'(?:[^']|'')*'", "'S'");
        code = Regex.Replace(code, "\"(?:[^\"`]|`.)*\"", "'S'");
        return code;
    }

    private static bool ParameterExists(CmdletDescriptor cmdlet, string name)
    {
        IEnumerable<string> shouldProcess = cmdlet.SupportsShouldProcess ? CommonParameters.ShouldProcessNames : [];
        if (cmdlet.Parameter(name) is not null || CommonParameters.Names.Contains(name) || shouldProcess.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        // PowerShell accepts an unambiguous prefix of a parameter name.
        return cmdlet.Parameters.Select(p => p.Name)
            .Concat(CommonParameters.Names)
            .Concat(shouldProcess)
            .Count(n => n.StartsWith(name, StringComparison.OrdinalIgnoreCase)) == 1;
    }

    [GeneratedRegex(@"(?<=\s)-(?<name>[A-Za-z][A-Za-z0-9]*)(?=[\s:]|$)")]
    private static partial Regex ExampleParameter();

    /// <summary>The yaml metadata of each documented parameter agrees with the compiled parameter (Get-Help is built from it).</summary>
    public static IReadOnlyList<string> DocParameterMetadata(ModuleUnderTest module, CmdletDescriptor cmdlet)
    {
        if (!module.DocPages.TryGetValue(cmdlet.Name, out var doc))
        {
            return [];
        }
        var page = $"docs/{cmdlet.Name}.md";
        var violations = new List<string>();
        foreach (var documented in doc.Parameters)
        {
            var parameter = cmdlet.Parameters.FirstOrDefault(p => p.Name.Equals(documented.Name, StringComparison.OrdinalIgnoreCase));
            if (parameter is null)
            {
                continue; // reported by DocPage
            }
            var where = $"{cmdlet.Name}: {page} -{parameter.Name}";
            foreach (var metadata in documented.Metadata)
            {
                if (!TypeNameMatches(metadata.Type, parameter.Type))
                {
                    violations.Add($"{where}: 'Type: {metadata.Type}' but the parameter is {FriendlyName(parameter.Type)}.");
                }
                var bindings = metadata.ParameterSets.Contains("(All)")
                    ? parameter.Bindings
                    : parameter.Bindings.Where(b => b.ParameterSetName == ParameterBinding.AllParameterSets || metadata.ParameterSets.Contains(b.ParameterSetName, StringComparer.OrdinalIgnoreCase)).ToList();
                if (bindings.Count == 0)
                {
                    violations.Add($"{where}: 'Parameter Sets: {string.Join(", ", metadata.ParameterSets)}' names no set the parameter is in ({string.Join(", ", parameter.Bindings.Select(b => b.ParameterSetName))}).");
                    continue;
                }
                if (metadata.Required && !bindings.Any(b => b.Mandatory))
                {
                    violations.Add($"{where}: 'Required: True' but the parameter is not mandatory.");
                }
                if (!metadata.Required && bindings.All(b => b.Mandatory))
                {
                    violations.Add($"{where}: 'Required: False' but the parameter is mandatory.");
                }
                var position = metadata.Position;
                if (position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? bindings.All(b => b.Position is not null) : !bindings.Any(b => b.Position?.ToString() == position))
                {
                    violations.Add($"{where}: 'Position: {position}' but the parameter's position is {string.Join("/", bindings.Select(b => b.Position?.ToString() ?? "Named").Distinct())}.");
                }
                var pipeline = metadata.PipelineInput;
                var docByValue = pipeline.Contains("ByValue", StringComparison.OrdinalIgnoreCase);
                var docByName = pipeline.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase);
                if (docByValue != bindings.Any(b => b.ValueFromPipeline) || docByName != bindings.Any(b => b.ValueFromPipelineByPropertyName))
                {
                    var actual = bindings.Any(b => b.ValueFromPipeline) || bindings.Any(b => b.ValueFromPipelineByPropertyName)
                        ? $"True ({string.Join(", ", new[] { bindings.Any(b => b.ValueFromPipeline) ? "ByValue" : null, bindings.Any(b => b.ValueFromPipelineByPropertyName) ? "ByPropertyName" : null }.OfType<string>())})"
                        : "False";
                    violations.Add($"{where}: 'Accept pipeline input: {pipeline}' but the parameter accepts {actual}.");
                }
                if (metadata.AcceptsWildcards != parameter.SupportsWildcards)
                {
                    violations.Add($"{where}: 'Accept wildcard characters: {metadata.Get("Accept wildcard characters")}' but [SupportsWildcards] is {(parameter.SupportsWildcards ? "present" : "absent")}.");
                }
                var docAliases = metadata.Aliases.Order(StringComparer.OrdinalIgnoreCase).ToList();
                var aliases = parameter.Aliases.Order(StringComparer.OrdinalIgnoreCase).ToList();
                if (!docAliases.SequenceEqual(aliases, StringComparer.OrdinalIgnoreCase))
                {
                    violations.Add($"{where}: 'Aliases: {metadata.Get("Aliases")}' but the parameter's aliases are {(aliases.Count == 0 ? "None" : string.Join(", ", aliases))}.");
                }
            }
        }
        return violations;
    }

    public static IReadOnlyList<string> FormatView(ModuleUnderTest module, CmdletDescriptor cmdlet)
    {
        var violations = new List<string>();
        foreach (var output in cmdlet.OutputTypes.Where(o => o.Type is not null && IsOwnType(o.Type)))
        {
            var names = SelfAndBaseTypeNames(output.Type!).ToList();
            var views = module.FormatViews.Where(v => v.TypeNames.Any(t => names.Contains(t, StringComparer.OrdinalIgnoreCase))).ToList();
            var tables = views.Where(v => v.IsTable).ToList();
            if (tables.Count == 0)
            {
                violations.Add($"{cmdlet.Name}: output type {output.Type!.FullName} has no table view (<ViewSelectedBy><TypeName>) in {Path.GetFileName(module.ModuleDirectory)}/*.format.ps1xml.");
            }
            foreach (var table in tables.Where(t => t.GivenWidth > MaximumTableWidth))
            {
                violations.Add($"{cmdlet.Name}: table view '{table.Name}' ({table.File}) of {output.Type!.FullName} is {table.GivenWidth} columns wide, more than {MaximumTableWidth}.");
            }
        }
        return violations;
    }

    // ------------------------------------------------------------------ per module

    public static IReadOnlyList<string> ManifestExportsExist(ModuleUnderTest module)
    {
        var violations = new List<string>();
        var manifest = Path.GetFileName(module.ManifestPath);
        var rootModule = module.Manifest.String("RootModule");
        if (!string.Equals(rootModule, Path.GetFileName(module.AssemblyPath), StringComparison.Ordinal))
        {
            violations.Add($"{manifest}: RootModule is '{rootModule}', expected '{Path.GetFileName(module.AssemblyPath)}'.");
        }
        foreach (var name in module.Manifest.Strings("CmdletsToExport").Where(n => n != "*" && module.Assembly.Find(n) is null))
        {
            violations.Add($"{manifest}: CmdletsToExport lists '{name}', which {Path.GetFileName(module.AssemblyPath)} does not contain.");
        }
        var cmdletAliases = module.Cmdlets.SelectMany(c => c.Aliases).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in module.Manifest.Strings("AliasesToExport").Where(a => a != "*" && !cmdletAliases.Contains(a)))
        {
            violations.Add($"{manifest}: AliasesToExport lists '{alias}', which no cmdlet declares with [Alias].");
        }
        foreach (var key in new[] { "FormatsToProcess", "TypesToProcess" })
        {
            foreach (var file in module.Manifest.Strings(key))
            {
                if (!File.Exists(Path.Combine(module.ModuleDirectory, file)))
                {
                    violations.Add($"{manifest}: {key} lists '{file}', which does not exist under {Path.GetFileName(module.ModuleDirectory)}/.");
                }
                else if (!File.Exists(Path.Combine(module.AssemblyDirectory, file)))
                {
                    violations.Add($"{manifest}: {key} lists '{file}', which the build did not copy next to {Path.GetFileName(module.AssemblyPath)}.");
                }
            }
        }
        foreach (var formatFile in FormatFiles.Find(module.ModuleDirectory).Select(Path.GetFileName))
        {
            if (!module.Manifest.Strings("FormatsToProcess").Contains(formatFile, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add($"{manifest}: {formatFile} exists but FormatsToProcess does not list it, so PowerShell never loads it.");
            }
        }
        return violations;
    }

    public static IReadOnlyList<string> NoPowerShellReferenceAssemblyShipped(ModuleUnderTest module)
    {
        var sma = Path.Combine(module.AssemblyDirectory, "System.Management.Automation.dll");
        return File.Exists(sma)
            ? [$"{module.DisplayName}: {sma} exists: PowerShellStandard.Library's reference assembly must never ship with the module."]
            : [];
    }

    public static IReadOnlyList<string> FormatFilesWellFormed(ModuleUnderTest module)
    {
        var violations = new List<string>();
        foreach (var file in FormatFiles.Find(module.ModuleDirectory))
        {
            IReadOnlyList<FormatView> views;
            try
            {
                views = FormatFiles.ReadViews(file);
            }
            catch (System.Xml.XmlException e)
            {
                violations.Add($"{Path.GetFileName(file)}: not well-formed XML: {e.Message}");
                continue;
            }
            foreach (var view in views)
            {
                if (view.TypeNames.Count == 0)
                {
                    violations.Add($"{view.File}: view '{view.Name}' has no <ViewSelectedBy><TypeName>.");
                }
                if (view.IsTable && view.GivenWidth > MaximumTableWidth)
                {
                    violations.Add($"{view.File}: table view '{view.Name}' is {view.GivenWidth} columns wide, more than {MaximumTableWidth}.");
                }
                if (view.IsTable && view.Columns.Count > 0 && view.RowItemCounts.Any(c => c != view.Columns.Count))
                {
                    violations.Add($"{view.File}: table view '{view.Name}' has {view.Columns.Count} headers but a row with {string.Join("/", view.RowItemCounts)} items.");
                }
            }
        }
        return violations;
    }

    /// <summary>Every PropertyName a view reads exists on the type it selects (a typo shows as an empty column).</summary>
    public static IReadOnlyList<string> FormatViewPropertiesExist(ModuleUnderTest module)
    {
        var violations = new List<string>();
        var extended = FormatFiles.ExtendedMembers(module.ModuleDirectory);
        foreach (var view in module.FormatViews)
        {
            foreach (var typeName in view.TypeNames)
            {
                var type = module.Assembly.ResolveType(typeName);
                if (type is null)
                {
                    if (OwnNamespacePrefixes.Any(p => typeName.StartsWith(p, StringComparison.Ordinal)))
                    {
                        violations.Add($"{view.File}: view '{view.Name}' selects {typeName}, which no assembly of the module defines.");
                    }
                    continue;
                }
                var properties = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                    .Select(p => p.Name)
                    .Concat(extended[typeName])
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var property in view.PropertyNames.Where(p => !properties.Contains(p)))
                {
                    violations.Add($"{view.File}: view '{view.Name}' reads property '{property}', which {typeName} does not have.");
                }
            }
        }
        return violations;
    }

    public static IReadOnlyList<string> NoOrphanDocPages(ModuleUnderTest module)
    {
        var violations = new List<string>();
        foreach (var (name, _) in module.DocPages)
        {
            if (module.Assembly.Find(name) is null)
            {
                violations.Add($"docs/{name}.md documents a cmdlet {Path.GetFileName(module.AssemblyPath)} does not contain.");
            }
        }
        return violations;
    }

    /// <summary>The MAML help has one command per cmdlet and one parameter per documentable parameter, and nothing else.</summary>
    public static IReadOnlyList<string> HelpMatchesAssembly(ModuleUnderTest module, XDocument help)
    {
        var violations = new List<string>();
        var commands = help.Root?.Elements(MamlHelpWriter.Command + "command").ToList() ?? [];
        var byName = new Dictionary<string, XElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in commands)
        {
            var name = command.Element(MamlHelpWriter.Command + "details")?.Element(MamlHelpWriter.Command + "name")?.Value ?? "";
            if (!byName.TryAdd(name, command))
            {
                violations.Add($"help: command '{name}' appears more than once.");
            }
            if (module.Assembly.Find(name) is null)
            {
                violations.Add($"help: command '{name}' is not a cmdlet of {Path.GetFileName(module.AssemblyPath)}.");
            }
        }
        foreach (var cmdlet in module.Cmdlets)
        {
            if (!byName.TryGetValue(cmdlet.Name, out var command))
            {
                violations.Add($"help: no command:command for {cmdlet.Name}.");
                continue;
            }
            var helpParameters = command.Element(MamlHelpWriter.Command + "parameters")?
                .Elements(MamlHelpWriter.Command + "parameter")
                .Select(p => p.Element(MamlHelpWriter.Maml + "name")?.Value ?? "")
                .ToList() ?? [];
            var expected = DocumentableParameters(cmdlet);
            var allowed = AllowedDocumentedParameters(cmdlet);
            foreach (var name in expected.Where(n => !helpParameters.Contains(n, StringComparer.OrdinalIgnoreCase)))
            {
                violations.Add($"help: {cmdlet.Name} has no command:parameter for -{name}.");
            }
            foreach (var name in helpParameters.Where(n => !allowed.Contains(n, StringComparer.OrdinalIgnoreCase) && !CommonParameters.Names.Contains(n)))
            {
                violations.Add($"help: {cmdlet.Name} has a command:parameter -{name}, which the cmdlet does not have.");
            }
        }
        return violations;
    }

    // ------------------------------------------------------------------ helpers

    public static bool IsOwnType(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        return element.FullName is { } name && OwnNamespacePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
    }

    private static IEnumerable<string> SelfAndBaseTypeNames(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        for (var current = element; current is not null && current.FullName != "System.Object"; current = current.BaseType)
        {
            if (current.FullName is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>PlatyPS writes a type's short name (String[], SwitchParameter, Nullable`1[Int32]); accept the full name too.</summary>
    private static bool TypeNameMatches(string documented, Type type)
    {
        var candidates = new List<string> { type.Name, type.FullName ?? type.Name, FriendlyName(type) };
        if (Nullable(type) is { } inner)
        {
            candidates.AddRange([inner.Name, inner.FullName ?? inner.Name, $"Nullable`1[{inner.Name}]", $"{inner.Name}?", $"Nullable[{inner.Name}]"]);
        }
        return candidates.Contains(documented.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    private static Type? Nullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : null;

    public static string FriendlyName(Type type) =>
        Nullable(type) is { } inner ? $"Nullable`1[{inner.Name}]" : type.Name;

    [GeneratedRegex("[A-Z][a-z0-9]*|[a-z0-9]+")]
    private static partial Regex PascalWords();
}
