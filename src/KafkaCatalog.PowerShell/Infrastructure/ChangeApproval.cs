using System.Management.Automation;
using System.Reflection;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// The one ShouldProcess/Force decision of a cmdlet that changes something. Created on the
/// pipeline thread by <see cref="AsyncCmdlet.Approval"/> (it reads -WhatIf, -Confirm and the
/// preference variables there); its questions may be asked from the worker, they are answered on
/// the pipeline thread.
/// </summary>
/// <remarks>
/// <para>The rules, in order:</para>
/// <list type="number">
/// <item>-WhatIf (the switch or $WhatIfPreference) always wins: <see cref="Approve"/> writes the
/// "What if:" line through ShouldProcess and answers false, even with -Force; nothing changes.</item>
/// <item>-Force skips the confirmation prompt and nothing else; an explicit -Confirm still asks.</item>
/// <item>Otherwise ShouldProcess decides, as PowerShell does: it asks when -Confirm is given or the
/// cmdlet's ConfirmImpact reaches $ConfirmPreference, and never with -Confirm:$false.</item>
/// <item>A change wider than ShouldProcess conveys (a wildcard, an unclean election, archives)
/// asks once more after <see cref="Approve"/>, with ShouldContinue unless -Force, the way
/// PowerShell's guidelines pair the two (<see cref="ConfirmFurther"/>). That question is not asked
/// when ShouldProcess already asked the user, nor when the user said not to ask (-Confirm:$false,
/// $ConfirmPreference None).</item>
/// </list>
/// </remarks>
public sealed class ChangeApproval
{
    private readonly Func<string, string, bool> _shouldProcess;
    private readonly Func<string, string, bool> _shouldContinue;
    private readonly bool? _confirm;
    private readonly bool _shouldProcessAsks;

    internal ChangeApproval(
        Func<string, string, bool> shouldProcess,
        Func<string, string, bool> shouldContinue,
        bool force,
        bool whatIf,
        bool? confirm,
        ConfirmImpact preference,
        ConfirmImpact impact)
    {
        _shouldProcess = shouldProcess;
        _shouldContinue = shouldContinue;
        Force = force;
        WhatIf = whatIf;
        _confirm = confirm;
        _shouldProcessAsks = confirm ?? (preference != ConfirmImpact.None && impact >= preference);
        UserDeclinedQuestions = confirm == false || (confirm is null && preference == ConfirmImpact.None);
    }

    /// <summary>-WhatIf is in effect: report, change nothing (a cmdlet may still ask the cluster to validate).</summary>
    public bool WhatIf { get; }

    /// <summary>-Force was given.</summary>
    public bool Force { get; }

    /// <summary>-Confirm:$false or $ConfirmPreference None: the user asked not to be asked.</summary>
    private bool UserDeclinedQuestions { get; }

    /// <summary>True when the change may be made; under -WhatIf writes the "What if:" line and answers false.</summary>
    public bool Approve(string target, string action)
    {
        if (WhatIf)
        {
            _ = _shouldProcess(target, action);
            return false;
        }

        if (Force && _confirm != true)
        {
            return true;
        }

        return _shouldProcess(target, action);
    }

    /// <summary>
    /// The second question for a change wider than its ShouldProcess line: call it only after
    /// <see cref="Approve"/> answered true. -Force skips it; so does a ShouldProcess that already
    /// asked, and -Confirm:$false / $ConfirmPreference None.
    /// </summary>
    public bool ConfirmFurther(string query, string caption)
    {
        if (WhatIf)
        {
            return false;
        }

        if (Force || _shouldProcessAsks || UserDeclinedQuestions)
        {
            return true;
        }

        return _shouldContinue(query, caption);
    }

    /// <summary>Reads the switches and preferences of <paramref name="cmdlet"/> (on its pipeline thread).</summary>
    internal static ChangeApproval For(PSCmdlet cmdlet, bool force, Func<string, string, bool> shouldProcess, Func<string, string, bool> shouldContinue)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        bool whatIf = bound.TryGetValue("WhatIf", out var w)
            ? IsTrue(w)
            : IsTrue(cmdlet.SessionState?.PSVariable?.GetValue("WhatIfPreference"));
        bool? confirm = bound.TryGetValue("Confirm", out var c) ? IsTrue(c) : null;
        var preferenceValue = cmdlet.SessionState?.PSVariable?.GetValue("ConfirmPreference");
        var preference = preferenceValue is not null && LanguagePrimitives.TryConvertTo<ConfirmImpact>(preferenceValue, out var p) ? p : ConfirmImpact.High;
        var impact = cmdlet.GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;
        return new ChangeApproval(shouldProcess, shouldContinue, force, whatIf, confirm, preference, impact);
    }

    private static bool IsTrue(object? value) => value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
}
