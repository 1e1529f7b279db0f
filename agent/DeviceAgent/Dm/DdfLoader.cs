using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DeviceAgent.Dm;

/// <summary>A DDF file that cannot be used; Line and Column are 1-based (0 when unknown).</summary>
public sealed class DdfFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="source"/> at a 1-based line and column, with the reason in words.</summary>
    public DdfFormatException(string source, int line, int column, string reason)
        : base($"{source}({line},{column}): {reason}")
    {
        Source = source;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file or resource name.</summary>
    public new string Source { get; }

    /// <summary>1-based line of the problem in the file, 0 when unknown.</summary>
    public int Line { get; }
    /// <summary>1-based column of the problem, 0 when unknown.</summary>
    public int Column { get; }
    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}

/// <summary>Reads DDF 1.2 (Windows 10 1703 downloads) and DDF v2 (2022+ downloads) files into <see cref="DdfDocument"/>.</summary>
public static class DdfLoader
{
    /// <summary>Namespace of Microsoft's DDF extensions (MSFT:Applicability, MSFT:AllowedValues ...).</summary>
    public const string MsftNamespace = "http://schemas.microsoft.com/MobileDevice/DM";

    /// <summary>Largest DDF file accepted.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    private static readonly XNamespace s_msft = MsftNamespace;

    /// <summary>Parses a DDF file's bytes (UTF-8, with or without BOM).</summary>
    public static DdfDocument Load(ReadOnlySpan<byte> utf8, string source)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new DdfFormatException(source, 0, 0, $"file is {utf8.Length} bytes; the limit is {MaxBytes}");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new DdfFormatException(source, 0, 0, "not valid UTF-8: " + e.Message);
        }

        return Load(text, source);
    }

    /// <summary>Parses a DDF file's text.</summary>
    public static DdfDocument Load(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        text = StripDoctype(text, source);
        var settings = new XmlReaderSettings
        {
            // The DOCTYPE is gone; anything DTD-like left over is hostile, and nothing is ever fetched.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = MaxBytes,
        };

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new DdfFormatException(source, e.LineNumber, e.LinePosition, e.Message);
        }

        var root = document.Root!;
        if (root.Name.LocalName != "MgmtTree" || root.Name.Namespace != XNamespace.None)
        {
            Fail(source, root, $"root element is <{root.Name.LocalName}>, expected <MgmtTree>");
        }

        var verDtd = root.Element("VerDTD")?.Value.Trim() ?? "";
        var isV2 = root.Element(s_msft + "Diagnostics") is not null;
        var roots = new List<DdfRoot>();
        foreach (var nodeElement in root.Elements("Node"))
        {
            var path = nodeElement.Element("Path")?.Value.Trim();
            if (string.IsNullOrEmpty(path))
            {
                Fail(source, nodeElement, "top-level <Node> has no <Path>");
            }

            // The 1607-1709 SUPL file writes "./Vendor/MSFT//SUPL": an empty segment that Windows mounts as ./Vendor/MSFT.
            while (path.Contains("//", StringComparison.Ordinal))
            {
                path = path.Replace("//", "/", StringComparison.Ordinal);
            }

            path = path.TrimEnd('/');
            var node = ReadNode(nodeElement, source);
            if (node.IsDynamicName)
            {
                Fail(source, nodeElement, "top-level <Node> has no <NodeName>");
            }

            isV2 |= UsesMsftExtensions(node);
            roots.Add(new DdfRoot(path, node));
        }

        if (roots.Count == 0)
        {
            Fail(source, root, "<MgmtTree> has no <Node>");
        }

        return new DdfDocument(source, verDtd, isV2, roots);
    }

    private static bool UsesMsftExtensions(DdfNode node)
    {
        if (node.Applicability is not null || node.AllowedValues is not null)
        {
            return true;
        }

        foreach (var child in node.Children)
        {
            if (UsesMsftExtensions(child))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces the DOCTYPE (with its internal subset) by as many line breaks as it spanned, so positions stay right.</summary>
    internal static string StripDoctype(string text, string source)
    {
        var start = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var depth = 0;
        char quote = '\0';
        for (var i = start + 9; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (c == '>' && depth <= 0)
            {
                var newlines = text.AsSpan(start, i + 1 - start).Count('\n');
                return string.Concat(text.AsSpan(0, start), new string('\n', newlines), text.AsSpan(i + 1));
            }
        }

        throw new DdfFormatException(source, LineOf(text, start), 0, "unterminated <!DOCTYPE");
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static DdfNode ReadNode(XElement element, string source)
    {
        var nameElement = element.Element("NodeName");
        if (nameElement is null)
        {
            Fail(source, element, "<Node> has no <NodeName>");
        }

        var properties = element.Element("DFProperties");
        if (properties is null)
        {
            Fail(source, element, $"<Node> '{nameElement.Value}' has no <DFProperties>");
        }

        var title = NullIfEmpty(properties.Element("DFTitle")?.Value);
        var node = new DdfNode(nameElement.Value.Trim(), title) { Line = ((IXmlLineInfo)element).LineNumber };
        node.AccessType = ReadAccessType(properties, source);
        node.Format = ReadFormat(properties, source, node);
        node.Occurrence = ReadOccurrence(properties, source);
        node.Scope = ReadScope(properties, source);
        var dfType = properties.Element("DFType");
        node.MimeType = NullIfEmpty(dfType?.Element("MIME")?.Value);
        node.DdfName = NullIfEmpty(dfType?.Element("DDFName")?.Value);
        node.DefaultValue = properties.Element("DefaultValue")?.Value;
        node.Description = NullIfEmpty(properties.Element("Description")?.Value);
        node.CaseSense = properties.Element("CaseSense")?.Elements().FirstOrDefault()?.Name.LocalName switch
        {
            "CS" => DdfCaseSense.CS,
            "CIS" => DdfCaseSense.CIS,
            _ => DdfCaseSense.Unspecified,
        };
        node.AllowedValues = ReadAllowedValues(properties, source);
        node.Applicability = ReadApplicability(properties);
        foreach (var child in element.Elements("Node"))
        {
            node.ChildList.Add(ReadNode(child, source));
        }

        return node;
    }

    private static DdfAccessType ReadAccessType(XElement properties, string source)
    {
        var element = properties.Element("AccessType");
        if (element is null)
        {
            Fail(source, properties, "<DFProperties> has no <AccessType>");
        }

        var access = DdfAccessType.None;
        foreach (var child in element.Elements())
        {
            access |= child.Name.LocalName switch
            {
                "Add" => DdfAccessType.Add,
                "Copy" => DdfAccessType.Copy,
                "Delete" => DdfAccessType.Delete,
                "Exec" => DdfAccessType.Exec,
                "Get" => DdfAccessType.Get,
                "Replace" => DdfAccessType.Replace,
                // The 1607-1709 CertificateStore file writes <Set/> beside <Get/> (RetryAfterExpiryInterval); the
                // CertificateStore CSP page gives that node Get/Replace, so <Set/> is read as Replace.
                "Set" => DdfAccessType.Replace,
                var other => Fail<DdfAccessType>(source, child, $"unknown AccessType <{other}>"),
            };
        }

        return access;
    }

    private static DdfFormat ReadFormat(XElement properties, string source, DdfNode node)
    {
        var child = properties.Element("DFFormat")?.Elements().FirstOrDefault();
        if (child is null)
        {
            Fail(source, properties, $"node '{node.DisplayName}' has no <DFFormat>");
        }

        return TryParseFormat(child.Name.LocalName, out var format)
            ? format
            : Fail<DdfFormat>(source, child, $"unknown DFFormat <{child.Name.LocalName}>");
    }

    /// <summary>Parses a DFFormat / Meta Format name (b64, bin, bool, chr, int, node, null, xml, date, time, float).</summary>
    public static bool TryParseFormat(string name, out DdfFormat format)
    {
        switch (name)
        {
            case "chr": format = DdfFormat.Chr; return true;
            case "b64": format = DdfFormat.B64; return true;
            case "bin": format = DdfFormat.Bin; return true;
            case "bool": format = DdfFormat.Bool; return true;
            case "int": format = DdfFormat.Int; return true;
            case "node": format = DdfFormat.Node; return true;
            case "null": format = DdfFormat.Null; return true;
            case "xml": format = DdfFormat.Xml; return true;
            case "date": format = DdfFormat.Date; return true;
            case "time": format = DdfFormat.Time; return true;
            case "float": format = DdfFormat.Float; return true;
            default: format = default; return false;
        }
    }

    /// <summary>The wire name of a format ("chr", "bool" ...).</summary>
    public static string FormatName(DdfFormat format) => format switch
    {
        DdfFormat.Chr => "chr",
        DdfFormat.B64 => "b64",
        DdfFormat.Bin => "bin",
        DdfFormat.Bool => "bool",
        DdfFormat.Int => "int",
        DdfFormat.Node => "node",
        DdfFormat.Null => "null",
        DdfFormat.Xml => "xml",
        DdfFormat.Date => "date",
        DdfFormat.Time => "time",
        DdfFormat.Float => "float",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static DdfOccurrence ReadOccurrence(XElement properties, string source)
    {
        var child = properties.Element("Occurrence")?.Elements().FirstOrDefault();
        if (child is null)
        {
            // DDF 1.2 makes Occurrence optional; its default is One.
            return new DdfOccurrence(DdfOccurrenceKind.One);
        }

        return child.Name.LocalName switch
        {
            "One" => new DdfOccurrence(DdfOccurrenceKind.One),
            "ZeroOrOne" => new DdfOccurrence(DdfOccurrenceKind.ZeroOrOne),
            "ZeroOrMore" => new DdfOccurrence(DdfOccurrenceKind.ZeroOrMore),
            "OneOrMore" => new DdfOccurrence(DdfOccurrenceKind.OneOrMore),
            "ZeroOrN" => new DdfOccurrence(DdfOccurrenceKind.ZeroOrN, ReadBound(child, source)),
            "OneOrN" => new DdfOccurrence(DdfOccurrenceKind.OneOrN, ReadBound(child, source)),
            var other => Fail<DdfOccurrence>(source, child, $"unknown Occurrence <{other}>"),
        };
    }

    private static int ReadBound(XElement element, string source) =>
        int.TryParse(element.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : Fail<int>(source, element, $"<{element.Name.LocalName}> bound '{element.Value}' is not a number");

    private static DdfScope ReadScope(XElement properties, string source)
    {
        var child = properties.Element("Scope")?.Elements().FirstOrDefault();
        return child?.Name.LocalName switch
        {
            null => DdfScope.Permanent,
            "Permanent" => DdfScope.Permanent,
            "Dynamic" => DdfScope.Dynamic,
            var other => Fail<DdfScope>(source, child, $"unknown Scope <{other}>"),
        };
    }

    private static DdfAllowedValues? ReadAllowedValues(XElement properties, string source)
    {
        var element = properties.Element(s_msft + "AllowedValues");
        if (element is null)
        {
            return null;
        }

        var rawType = (string?)element.Attribute("ValueType") ?? "";
        var delimiter = (string?)element.Element(s_msft + "List")?.Attribute("Delimiter");
        switch (rawType)
        {
            case "ENUM":
                var values = new List<DdfEnumValue>();
                foreach (var entry in element.Elements(s_msft + "Enum"))
                {
                    var value = entry.Element(s_msft + "Value")?.Value;
                    if (value is null)
                    {
                        Fail(source, entry, "<MSFT:Enum> has no <MSFT:Value>");
                    }

                    values.Add(new DdfEnumValue(value, entry.Element(s_msft + "ValueDescription")?.Value));
                }

                return new DdfAllowedValues(DdfAllowedValueType.Enum, rawType, values, null, null, null, delimiter);
            case "Range":
                var rangeElement = element.Element(s_msft + "Value");
                long min = 0, max = 0;
                if (rangeElement is null || !TryParseRange(rangeElement.Value, out min, out max))
                {
                    Fail(source, rangeElement ?? element, $"Range '{rangeElement?.Value}' is not of the form [min-max]");
                }

                return new DdfAllowedValues(DdfAllowedValueType.Range, rawType, [], min, max, null, delimiter);
            case "RegEx":
                var pattern = element.Element(s_msft + "Value")?.Value;
                try
                {
                    return new DdfAllowedValues(DdfAllowedValueType.RegEx, rawType, [], null, null, pattern, delimiter);
                }
                catch (ArgumentException e)
                {
                    return Fail<DdfAllowedValues>(source, element, $"RegEx '{pattern}' does not compile: {e.Message}");
                }

            default:
                return new DdfAllowedValues(DdfAllowedValueType.Other, rawType, [], null, null, element.Element(s_msft + "Value")?.Value, delimiter);
        }
    }

    /// <summary>Parses "[4-127]" (also "[-5-5]"); either bound may be a negative number.</summary>
    internal static bool TryParseRange(string text, out long min, out long max)
    {
        min = max = 0;
        var span = text.AsSpan().Trim();
        if (span.Length < 5 || span[0] != '[' || span[^1] != ']')
        {
            return false;
        }

        span = span[1..^1];
        var dash = span[1..].IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        dash++;
        return long.TryParse(span[..dash], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out min)
            && long.TryParse(span[(dash + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out max)
            && min <= max;
    }

    private static DdfApplicability? ReadApplicability(XElement properties)
    {
        var element = properties.Element(s_msft + "Applicability");
        if (element is null)
        {
            return null;
        }

        return new DdfApplicability(
            NullIfEmpty(element.Element(s_msft + "OsBuildVersion")?.Value),
            NullIfEmpty(element.Element(s_msft + "CspVersion")?.Value),
            NullIfEmpty(element.Element(s_msft + "EditionAllowList")?.Value),
            element.Element(s_msft + "RequiresAzureAd") is not null);
    }

    private static string? NullIfEmpty(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string source, XObject at, string reason)
    {
        var info = (IXmlLineInfo)at;
        throw new DdfFormatException(source, info.LineNumber, info.LinePosition, reason);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static T Fail<T>(string source, XObject at, string reason)
    {
        Fail(source, at, reason);
        return default;
    }
}
