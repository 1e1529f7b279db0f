using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceAgent.Dm;

/// <summary>DDF DFFormat values (docs/reference/omadm.md §10 and 7); also the SyncML Meta/Format of a node's value.</summary>
public enum DdfFormat
{
    /// <summary>chr: text (the default when a DDF gives no format).</summary>
    Chr,
    /// <summary>b64: base64-encoded binary data.</summary>
    B64,
    /// <summary>bin: raw binary data (carried as base64 in XML SyncML).</summary>
    Bin,
    /// <summary>bool: "true" or "false".</summary>
    Bool,
    /// <summary>int: a signed 32-bit integer in decimal.</summary>
    Int,
    /// <summary>node: an interior node; its value is the list of its children.</summary>
    Node,
    /// <summary>null: a node without a value.</summary>
    Null,
    /// <summary>xml: an XML document carried as text.</summary>
    Xml,
    /// <summary>date: an ISO 8601 date.</summary>
    Date,
    /// <summary>time: an ISO 8601 time of day.</summary>
    Time,
    /// <summary>float: a decimal floating-point number.</summary>
    Float,
}

/// <summary>DDF AccessType: the commands a node accepts.</summary>
[Flags]
public enum DdfAccessType
{
    /// <summary>No command is allowed.</summary>
    None = 0,
    /// <summary>Add creates the node.</summary>
    Add = 1,
    /// <summary>Copy duplicates the node.</summary>
    Copy = 2,
    /// <summary>Delete removes the node and its subtree.</summary>
    Delete = 4,
    /// <summary>Exec runs the node (RemoteLock Lock, for example).</summary>
    Exec = 8,
    /// <summary>Get reads the node's value or child list.</summary>
    Get = 16,
    /// <summary>Replace sets the node's value.</summary>
    Replace = 32,
}

/// <summary>DDF Occurrence kinds.</summary>
public enum DdfOccurrenceKind
{
    /// <summary>Exactly one instance.</summary>
    One,
    /// <summary>Optional: at most one instance.</summary>
    ZeroOrOne,
    /// <summary>Any number of instances, including none.</summary>
    ZeroOrMore,
    /// <summary>At least one instance.</summary>
    OneOrMore,
    /// <summary>Up to N instances (N in DdfOccurrence.N).</summary>
    ZeroOrN,
    /// <summary>One to N instances (N in DdfOccurrence.N).</summary>
    OneOrN,
}

/// <summary>DDF Occurrence: a kind and, for ZeroOrN / OneOrN, the bound.</summary>
public readonly record struct DdfOccurrence(DdfOccurrenceKind Kind, int N = 0);

/// <summary>DDF Scope: Permanent (built in) or Dynamic (created and removed at run time).</summary>
public enum DdfScope
{
    /// <summary>Built into the device; a server cannot add or delete it.</summary>
    Permanent,
    /// <summary>Created and deleted at run time by a server or the device.</summary>
    Dynamic,
}

/// <summary>DDF CaseSense (rare in Microsoft files).</summary>
public enum DdfCaseSense
{
    /// <summary>No CaseSense element: names and values compare case-sensitively.</summary>
    Unspecified,
    /// <summary>CS: case-sensitive.</summary>
    CS,
    /// <summary>CIS: case-insensitive.</summary>
    CIS,
}

/// <summary>MSFT:AllowedValues ValueType; the ones the agent does not check are kept as <see cref="Other"/>.</summary>
public enum DdfAllowedValueType
{
    /// <summary>ENUM: the value must be one of MSFT:Enum's values.</summary>
    Enum,
    /// <summary>Range: an integer between two bounds, written [min-max].</summary>
    Range,
    /// <summary>RegEx: the whole value must match a regular expression.</summary>
    RegEx,
    /// <summary>Any other ValueType (ADMX, None ...): kept for reading, not checked.</summary>
    Other,
}

/// <summary>One MSFT:Enum entry: MSFT:Value and MSFT:ValueDescription.</summary>
public sealed record DdfEnumValue(string Value, string? Description);

/// <summary>MSFT:AllowedValues of a DDF v2 node (ENUM, Range, RegEx are checked; other types are informational).</summary>
public sealed class DdfAllowedValues
{
    private readonly Regex? _regex;

    internal DdfAllowedValues(
        DdfAllowedValueType valueType,
        string rawValueType,
        IReadOnlyList<DdfEnumValue> enumValues,
        long? rangeMin,
        long? rangeMax,
        string? pattern,
        string? listDelimiter)
    {
        ValueType = valueType;
        RawValueType = rawValueType;
        EnumValues = enumValues;
        RangeMin = rangeMin;
        RangeMax = rangeMax;
        Pattern = pattern;
        ListDelimiter = listDelimiter;
        if (valueType == DdfAllowedValueType.RegEx && pattern is not null)
        {
            // Anchored: a DDF pattern describes the whole value. Built once per DDF node, never per lookup.
            _regex = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Which kind of restriction this is; Other is not enforced.</summary>
    public DdfAllowedValueType ValueType { get; }

    /// <summary>The ValueType attribute as written (ENUM, Range, RegEx, ADMX, None ...).</summary>
    public string RawValueType { get; }

    /// <summary>The allowed values when ValueType is ENUM, in DDF order.</summary>
    public IReadOnlyList<DdfEnumValue> EnumValues { get; }
    /// <summary>Lowest allowed integer of a Range, or null.</summary>
    public long? RangeMin { get; }
    /// <summary>Highest allowed integer of a Range, or null.</summary>
    public long? RangeMax { get; }
    /// <summary>The RegEx pattern as written (matched anchored to the whole value), or null.</summary>
    public string? Pattern { get; }

    /// <summary>MSFT:List Delimiter: the value is a list whose elements are each checked.</summary>
    public string? ListDelimiter { get; }

    /// <summary>True when <paramref name="value"/> (already normalised for <paramref name="format"/>) is allowed.</summary>
    public bool Allows(string value, DdfFormat format)
    {
        if (ListDelimiter is { Length: > 0 } delimiter && value.Contains(delimiter, StringComparison.Ordinal))
        {
            foreach (var part in value.Split(delimiter))
            {
                if (!AllowsOne(part, format))
                {
                    return false;
                }
            }

            return true;
        }

        return AllowsOne(value, format);
    }

    private bool AllowsOne(string value, DdfFormat format)
    {
        switch (ValueType)
        {
            case DdfAllowedValueType.Enum:
                foreach (var allowed in EnumValues)
                {
                    if (EnumMatches(allowed.Value, value, format))
                    {
                        return true;
                    }
                }

                return false;
            case DdfAllowedValueType.Range:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                return (RangeMin is not { } min || number >= min) && (RangeMax is not { } max || number <= max);
            case DdfAllowedValueType.RegEx:
                try
                {
                    return _regex is null || _regex.IsMatch(value);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }

            default:
                return true;
        }
    }

    private static bool? BoolOf(string text) =>
        text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    private static bool EnumMatches(string allowed, string value, DdfFormat format) => format switch
    {
        // Some DDF v2 bool nodes list 0/1 (DMAcc UseHwDevID), most false/true.
        DdfFormat.Bool => BoolOf(allowed) is { } a && a == BoolOf(value),
        DdfFormat.Int => long.TryParse(allowed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
            && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && a == v,
        _ => string.Equals(allowed, value, StringComparison.Ordinal),
    };
}

/// <summary>MSFT:Applicability of a DDF v2 node (inherited by descendants that have none).</summary>
public sealed record DdfApplicability(string? OsBuildVersion, string? CspVersion, string? EditionAllowList, bool RequiresAzureAd);

/// <summary>One Node of a DDF file with its DFProperties.</summary>
public sealed class DdfNode
{
    internal DdfNode(string name, string? dfTitle)
    {
        Name = name;
        DfTitle = dfTitle;
    }

    /// <summary>NodeName as written; empty (or "*" in DMAcc) for a dynamic, server-named node.</summary>
    public string Name { get; }

    /// <summary>DFTitle: the human-readable title, which names a dynamic node in messages.</summary>
    public string? DfTitle { get; }

    /// <summary>True for a placeholder whose real name is chosen at run time (empty NodeName or "*").</summary>
    public bool IsDynamicName => Name.Length == 0 || Name == "*";

    /// <summary>A readable name: NodeName, or {DFTitle} for a dynamic node.</summary>
    public string DisplayName => IsDynamicName ? "{" + (DfTitle ?? "*") + "}" : Name;

    /// <summary>DFProperties/AccessType: the commands the node accepts.</summary>
    public DdfAccessType AccessType { get; internal set; }
    /// <summary>DFProperties/DFFormat: the type of the node's value.</summary>
    public DdfFormat Format { get; internal set; }
    /// <summary>DFProperties/Occurrence: how many instances may exist.</summary>
    public DdfOccurrence Occurrence { get; internal set; }
    /// <summary>DFProperties/Scope: Permanent or Dynamic.</summary>
    public DdfScope Scope { get; internal set; }

    /// <summary>DFType MIME (e.g. text/plain, com.microsoft/1.3/MDM/PassportForWork), or null when empty.</summary>
    public string? MimeType { get; internal set; }

    /// <summary>DFType DDFName (e.g. urn:oma:mo:oma-dm-devinfo:1.0), or null when empty.</summary>
    public string? DdfName { get; internal set; }

    /// <summary>DFProperties/DefaultValue as written, or null.</summary>
    public string? DefaultValue { get; internal set; }
    /// <summary>DFProperties/Description as written, or null.</summary>
    public string? Description { get; internal set; }
    /// <summary>DFProperties/CaseSense.</summary>
    public DdfCaseSense CaseSense { get; internal set; }
    /// <summary>MSFT:AllowedValues (DDF v2), or null when the value is unrestricted.</summary>
    public DdfAllowedValues? AllowedValues { get; internal set; }
    /// <summary>MSFT:Applicability (OS build and edition range, DDF v2), or null.</summary>
    public DdfApplicability? Applicability { get; internal set; }

    /// <summary>Child Node elements in file order.</summary>
    public IReadOnlyList<DdfNode> Children => ChildList;

    internal List<DdfNode> ChildList { get; } = [];

    /// <summary>Line of the Node element in its file (for error messages).</summary>
    public int Line { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}

/// <summary>One DDF file: its top-level nodes, each with the Path it is mounted under.</summary>
public sealed class DdfDocument
{
    internal DdfDocument(string source, string verDtd, bool isV2, IReadOnlyList<DdfRoot> roots)
    {
        Source = source;
        VerDtd = verDtd;
        IsV2 = isV2;
        Roots = roots;
    }

    /// <summary>Where the file came from (resource or file name), used in error messages.</summary>
    public string Source { get; }

    /// <summary>VerDTD of the MgmtTree (1.2 for Microsoft's files).</summary>
    public string VerDtd { get; }

    /// <summary>True for DDF v2 files (MSFT:Diagnostics / MSFT:Applicability present).</summary>
    public bool IsV2 { get; }

    /// <summary>The top-level Node elements with the Path each is mounted under.</summary>
    public IReadOnlyList<DdfRoot> Roots { get; }
}

/// <summary>A top-level DDF node and its Path (e.g. ./Device/Vendor/MSFT, ".", ./SyncML).</summary>
public sealed record DdfRoot(string Path, DdfNode Node);
