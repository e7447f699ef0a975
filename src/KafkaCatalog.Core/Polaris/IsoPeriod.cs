using System.Globalization;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Polaris;

/// <summary>
/// ISO-8601 periods as Polaris takes them (P30D, PT12H, P1Y2M, P2W). Years count as 365 days and
/// months as 30, which is what "how far back" needs; the text is sent unchanged.
/// </summary>
public static partial class IsoPeriod
{
    public static bool TryParse(string? text, out TimeSpan period)
    {
        period = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim() is "P" or "PT" || text.TrimEnd().EndsWith('T'))
        {
            return false;
        }

        double Part(string group) =>
            m.Groups[group].Success ? double.Parse(m.Groups[group].Value, NumberStyles.Float, CultureInfo.InvariantCulture) : 0;

        var days = (Part("y") * 365) + (Part("mo") * 30) + (Part("w") * 7) + Part("d");
        var seconds = (Part("h") * 3600) + (Part("mi") * 60) + Part("s");
        try
        {
            period = TimeSpan.FromDays(days) + TimeSpan.FromSeconds(seconds);
        }
        catch (OverflowException)
        {
            return false;
        }

        return true;
    }

    public static TimeSpan Parse(string text, string parameterName)
    {
        if (!TryParse(text, out var period))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisInvalidPeriod,
                $"'{text}' is not an ISO-8601 period for {parameterName}. Examples: P30D (30 days), P90D, PT6H, P1Y.",
                text);
        }

        return period;
    }

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
