using System.Globalization;
using DeviceAgent.SyncML;

namespace DeviceAgent.Dm;

public sealed partial class DmCommandExecutor
{
    /// <summary>
    /// Checks an Add/Replace value against the node's DDF (format, then allowed values) and normalises it; 0 when
    /// accepted. Format rules: docs/reference/omadm.md §10, docs/dm-tree.md "Formats".
    /// </summary>
    private int Normalize(DmSchemaNode schema, Item item, Meta? commandMeta, out string? value)
    {
        value = null;
        var target = schema.Format;
        var sent = item.Meta?.Format ?? commandMeta?.Format;
        if (_options.FormatMode == DmFormatMode.Strict)
        {
            // OMA: an absent Format means chr.
            if (!DdfLoader.TryParseFormat(sent?.Trim() ?? "chr", out var sentFormat) || sentFormat != target)
            {
                return StatusCodes.UnsupportedMediaTypeOrFormat;
            }
        }

        if (target is DdfFormat.Node or DdfFormat.Null)
        {
            // Interior nodes and Exec targets hold no value (docs/reference/omadm.md §10).
            return 0;
        }

        var data = item.Data?.Value ?? "";
        var lenient = _options.FormatMode == DmFormatMode.Lenient;
        switch (target)
        {
            case DdfFormat.Bool:
                var text = lenient ? data.Trim() : data;
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || (lenient && text == "1"))
                {
                    value = "true";
                }
                else if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || (lenient && text == "0"))
                {
                    value = "false";
                }
                else
                {
                    return StatusCodes.UnsupportedMediaTypeOrFormat;
                }

                break;
            case DdfFormat.Int:
                var styles = lenient ? NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite : NumberStyles.AllowLeadingSign;
                if (!long.TryParse(data, styles, CultureInfo.InvariantCulture, out var number))
                {
                    return StatusCodes.UnsupportedMediaTypeOrFormat;
                }

                value = number.ToString(CultureInfo.InvariantCulture);
                break;
            case DdfFormat.Float:
                if (!double.TryParse(data, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    return StatusCodes.UnsupportedMediaTypeOrFormat;
                }

                value = data.Trim();
                break;
            case DdfFormat.B64:
                var buffer = new byte[(data.Length * 3 / 4) + 3];
                if (!Convert.TryFromBase64String(data, buffer, out _))
                {
                    return StatusCodes.UnsupportedMediaTypeOrFormat;
                }

                value = data;
                break;
            default:
                value = data;
                break;
        }

        if (schema.AllowedValues is { } allowed && !allowed.Allows(value, target))
        {
            return _options.ValidationFailureStatus;
        }

        return 0;
    }
}
