using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceAgent.Dm;

/// <summary>DDF DFFormat values (docs/reference/omadm.md §10 and 7); also the SyncML Meta/Format of a node's value.</summary>
public enum DdfFormat
{
    Chr,
    B64,
    Bin,
    Bool,
    Int,
    Node,
    Null,
    Xml,
    Date,
    Time,
    Float,
}

/// <summary>DDF AccessType: the commands a node accepts.</summary>
[Flags]
public enum DdfAccessType
{
    None = 0,
    Add = 1,
    Copy = 2,
    Delete = 4,
    Exec = 8,
    Get = 16,
    Replace = 32,
}

/// <summary>DDF Occurrence kinds.</summary>
public enum DdfOccurrenceKind
{
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
    ZeroOrN,
    OneOrN,
}

/// <summary>DDF Occurrence: a kind and, for ZeroOrN / OneOrN, the bound.</summary>
public readonly record struct DdfOccurrence(DdfOccurrenceKind Kind, int N = 0);

/// <summary>DDF Scope: Permanent (built in) or Dynamic (created and removed at run time).</summary>
public enum DdfScope
{
    Permanent,
    Dynamic,
}

/// <summary>DDF CaseSense (rare in Microsoft files).</summary>
public enum DdfCaseSense
{
    Unspecified,
    CS,
    CIS,
}

/// <summary>MSFT:AllowedValues ValueType; the ones the agent does not check are kept as <see cref="Other"/>.</summary>
public enum DdfAllowedValueType
{
    Enum,
    Range,
    RegEx,
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

    public DdfAllowedValueType ValueType { get; }

    /// <summary>The ValueType attribute as written (ENUM, Range, RegEx, ADMX, None ...).</summary>
    public string RawValueType { get; }

    public IReadOnlyList<DdfEnumValue> EnumValues { get; }
    public long? RangeMin { get; }
    public long? RangeMax { get; }
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

    public string? DfTitle { get; }

    /// <summary>True for a placeholder whose real name is chosen at run time (empty NodeName or "*").</summary>
    public bool IsDynamicName => Name.Length == 0 || Name == "*";

    /// <summary>A readable name: NodeName, or {DFTitle} for a dynamic node.</summary>
    public string DisplayName => IsDynamicName ? "{" + (DfTitle ?? "*") + "}" : Name;

    public DdfAccessType AccessType { get; internal set; }
    public DdfFormat Format { get; internal set; }
    public DdfOccurrence Occurrence { get; internal set; }
    public DdfScope Scope { get; internal set; }

    /// <summary>DFType MIME (e.g. text/plain, com.microsoft/1.3/MDM/PassportForWork), or null when empty.</summary>
    public string? MimeType { get; internal set; }

    /// <summary>DFType DDFName (e.g. urn:oma:mo:oma-dm-devinfo:1.0), or null when empty.</summary>
    public string? DdfName { get; internal set; }

    public string? DefaultValue { get; internal set; }
    public string? Description { get; internal set; }
    public DdfCaseSense CaseSense { get; internal set; }
    public DdfAllowedValues? AllowedValues { get; internal set; }
    public DdfApplicability? Applicability { get; internal set; }

    public IReadOnlyList<DdfNode> Children => ChildList;

    internal List<DdfNode> ChildList { get; } = [];

    /// <summary>Line of the Node element in its file (for error messages).</summary>
    public int Line { get; internal set; }

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

    public string VerDtd { get; }

    /// <summary>True for DDF v2 files (MSFT:Diagnostics / MSFT:Applicability present).</summary>
    public bool IsV2 { get; }

    public IReadOnlyList<DdfRoot> Roots { get; }
}

/// <summary>A top-level DDF node and its Path (e.g. ./Device/Vendor/MSFT, ".", ./SyncML).</summary>
public sealed record DdfRoot(string Path, DdfNode Node);
