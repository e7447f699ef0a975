namespace KafkaCatalog.HelpGenerator;

public static class HelpFile
{
    /// <summary>Get-Help finds a binary module's help as "&lt;assembly file name&gt;-Help.xml".</summary>
    public const string FileName = "KafkaCatalog.PowerShell.dll-Help.xml";
}
