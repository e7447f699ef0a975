namespace KafkaCatalog.Module.Tests.Rules;

/// <summary>
/// The tables the contract rules read. Edit here when a convention changes; the rules and the
/// tests pick the change up.
/// </summary>
public static class ContractTables
{
    /// <summary>
    /// PowerShell 7.4's approved verbs (Get-Verb), with their groups. 100 verbs; Build and Deploy
    /// arrived in PowerShell 6, the rest are Windows PowerShell 5.1's (a test cross-checks the
    /// Verbs* classes of PowerShellStandard.Library).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ApprovedVerbs = BuildVerbs(new Dictionary<string, string[]>
    {
        ["Common"] =
        [
            "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock",
            "Move", "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize",
            "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        ],
        ["Communications"] = ["Connect", "Disconnect", "Read", "Receive", "Send", "Write"],
        ["Data"] =
        [
            "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount",
            "Edit", "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out",
            "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
        ],
        ["Diagnostic"] = ["Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace"],
        ["Lifecycle"] =
        [
            "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install",
            "Invoke", "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend",
            "Uninstall", "Unregister", "Wait",
        ],
        ["Other"] = ["Use"],
        ["Security"] = ["Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect"],
    });

    /// <summary>A noun starts with one of these.</summary>
    public static readonly IReadOnlyList<string> NounPrefixes = ["Kafka", "Catalog", "Polaris"];

    /// <summary>
    /// Last words of a noun that end in "s" and are singular anyway (words ending in ss/us/is are
    /// already treated as singular: Access, Status, Polaris).
    /// </summary>
    public static readonly IReadOnlySet<string> SingularWordsEndingInS =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Series", "Species", "Kubernetes", "News" };

    /// <summary>
    /// Verbs that change state outside the session: SupportsShouldProcess required. Connect and
    /// Disconnect only touch the session's connection registry, so they are not here.
    /// </summary>
    public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "New", "Set", "Add", "Remove", "Reset", "Publish", "Sync", "Start", "Stop",
        "Clear", "Copy", "Move", "Rename", "Update", "Restore", "Merge", "Unpublish", "Initialize",
        "Register", "Unregister", "Install", "Uninstall", "Enable", "Disable", "Restart", "Suspend", "Resume",
        "Submit", "Approve", "Deny", "Deploy", "Grant", "Revoke", "Block", "Unblock", "Protect", "Unprotect",
        "Lock", "Unlock", "Mount", "Dismount", "Send", "Write",
    };

    /// <summary>Verbs whose cmdlets must declare ConfirmImpact.High (deletes and offset resets).</summary>
    public static readonly IReadOnlySet<string> HighImpactVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Remove", "Reset" };

    /// <summary>Verbs whose cmdlets must have a -Force switch (skips the High-impact confirmation).</summary>
    public static readonly IReadOnlySet<string> ForceVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Remove", "Reset" };

    /// <summary>
    /// The connection parameter each area's cmdlets take (name or alias; any one of the listed
    /// names satisfies the rule), by noun prefix. The longest matching prefix wins.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> ConnectionParameterByNounPrefix = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Kafka"] = ["Connection"],
        ["Catalog"] = ["CatalogConnection", "Catalog"],
        ["Polaris"] = ["PolarisConnection", "Polaris"],
    };

    /// <summary>Verbs exempt from the connection parameter rule: they create or drop session connections.</summary>
    public static readonly IReadOnlySet<string> ConnectionExemptVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Connect", "Disconnect" };

    /// <summary>Cmdlets exempt from the connection parameter rule (they list the session's connections).</summary>
    public static readonly IReadOnlySet<string> ConnectionExemptCmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Get-KafkaConnection", "Get-CatalogConnection", "Get-PolarisConnection",
    };

    /// <summary>Verbs whose -Name/-GroupId filters take arrays and wildcards (conventions: "accept arrays and wildcards on -Name/-GroupId filters").</summary>
    public static readonly IReadOnlySet<string> FilterVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Get" };

    /// <summary>Filter parameter names of <see cref="FilterVerbs"/> cmdlets.</summary>
    public static readonly IReadOnlySet<string> FilterParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Name", "GroupId" };

    /// <summary>
    /// A parameter or output property whose name ends with one of these holds a secret: it must be
    /// SecureString/PSCredential (parameters) and must not be a plain string (output properties).
    /// Switches (e.g. -NoSecret) are not secrets.
    /// </summary>
    public static readonly IReadOnlyList<string> SecretNameSuffixes = ["Password", "Secret", "ApiKey", "AccessKey", "Token", "Passphrase"];

    /// <summary>Types that may carry a secret.</summary>
    public static readonly IReadOnlySet<string> SecretTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Security.SecureString", "System.Management.Automation.PSCredential",
    };

    /// <summary>A format view is required for output types in these namespaces (our classes).</summary>
    public static readonly IReadOnlyList<string> OwnNamespacePrefixes = ["KafkaCatalog."];

    /// <summary>A table view fits this many console columns (widths plus one space between columns).</summary>
    public const int MaximumTableWidth = 120;

    /// <summary>Examples a docs page must have, each with a ```powershell block (conventions: at least two).</summary>
    public const int MinimumExamples = 2;

    private static Dictionary<string, string> BuildVerbs(Dictionary<string, string[]> groups)
    {
        var verbs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (group, names) in groups)
        {
            foreach (var name in names)
            {
                verbs.Add(name, group);
            }
        }
        return verbs;
    }
}
