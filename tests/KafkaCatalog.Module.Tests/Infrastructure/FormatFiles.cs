using System.Xml.Linq;

namespace KafkaCatalog.Module.Tests.Infrastructure;

public sealed record TableColumn(string? Label, int? Width);

/// <summary>One &lt;View&gt; of a format.ps1xml file.</summary>
public sealed record FormatView(
    string File,
    string Name,
    IReadOnlyList<string> TypeNames,
    string Control,
    IReadOnlyList<TableColumn> Columns,
    IReadOnlyList<int> RowItemCounts,
    IReadOnlyList<string> PropertyNames)
{
    public bool IsTable => Control == "TableControl";

    /// <summary>Width of a table row as PowerShell lays it out: the given widths plus one space between columns.</summary>
    public int GivenWidth => Columns.Sum(c => c.Width ?? 0) + Math.Max(0, Columns.Count - 1);

    public bool AllWidthsGiven => Columns.Count > 0 && Columns.All(c => c.Width is not null);
}

public static class FormatFiles
{
    /// <summary>Member names that *.types.ps1xml files add to a type (by type name).</summary>
    public static ILookup<string, string> ExtendedMembers(string moduleDirectory) =>
        (Directory.Exists(moduleDirectory) ? Directory.GetFiles(moduleDirectory, "*.types.ps1xml") : [])
            .SelectMany(file => XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "Type"))
            .SelectMany(type => type.Descendants().Where(e => e.Name.LocalName == "Members").Elements()
                .Select(member => (Type: type.Elements().FirstOrDefault(e => e.Name.LocalName == "Name")?.Value.Trim() ?? "",
                    Member: member.Elements().FirstOrDefault(e => e.Name.LocalName == "Name")?.Value.Trim() ?? "")))
            .ToLookup(x => x.Type, x => x.Member, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Find(string moduleDirectory) =>
        Directory.Exists(moduleDirectory)
            ? Directory.GetFiles(moduleDirectory, "*.format.ps1xml").Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Reads every view of a format file; throws XmlException when it is not well-formed.</summary>
    public static IReadOnlyList<FormatView> ReadViews(string path)
    {
        var document = XDocument.Load(path);
        var views = new List<FormatView>();
        foreach (var view in document.Descendants().Where(e => e.Name.LocalName == "View"))
        {
            var typeNames = view.Elements().Where(e => e.Name.LocalName == "ViewSelectedBy")
                .SelectMany(e => e.Elements().Where(t => t.Name.LocalName == "TypeName"))
                .Select(t => t.Value.Trim())
                .ToList();
            var control = view.Elements().FirstOrDefault(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal));
            var columns = new List<TableColumn>();
            var rowItemCounts = new List<int>();
            if (control?.Name.LocalName == "TableControl")
            {
                foreach (var header in control.Descendants().Where(e => e.Name.LocalName == "TableColumnHeader"))
                {
                    var width = header.Elements().FirstOrDefault(e => e.Name.LocalName == "Width")?.Value.Trim();
                    columns.Add(new TableColumn(
                        header.Elements().FirstOrDefault(e => e.Name.LocalName == "Label")?.Value.Trim(),
                        int.TryParse(width, out var w) ? w : null));
                }
                foreach (var items in control.Descendants().Where(e => e.Name.LocalName == "TableColumnItems"))
                {
                    rowItemCounts.Add(items.Elements().Count(e => e.Name.LocalName == "TableColumnItem"));
                }
            }
            // Properties the view reads (table columns, list items, custom entries); script blocks are not checked.
            var propertyNames = control is null
                ? []
                : control.Descendants().Where(e => e.Name.LocalName == "PropertyName").Select(e => e.Value.Trim()).Distinct().ToList();
            views.Add(new FormatView(
                System.IO.Path.GetFileName(path),
                view.Elements().FirstOrDefault(e => e.Name.LocalName == "Name")?.Value.Trim() ?? "",
                typeNames,
                control?.Name.LocalName ?? "",
                columns,
                rowItemCounts,
                propertyNames));
        }
        return views;
    }
}
