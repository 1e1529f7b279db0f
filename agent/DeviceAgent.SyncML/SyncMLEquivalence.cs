using System.Runtime.CompilerServices;

namespace DeviceAgent.SyncML;

/// <summary>
/// Structural equality of SyncML models, reporting the first difference by path (e.g. "SyncBody/[2]Add/Items[0]/Data").
/// A missing namespace equals SYNCML:SYNCML1.2, because the writer emits that for it.
/// </summary>
public static class SyncMLEquivalence
{
    /// <summary>True when both messages hold the same content; otherwise <paramref name="difference"/> says where they differ.</summary>
    public static bool AreEqual(SyncMLMessage? a, SyncMLMessage? b, out string difference)
    {
        difference = Messages(a, b) ?? "";
        return difference.Length == 0;
    }

    /// <summary>True when both commands hold the same content; otherwise <paramref name="difference"/> says where they differ.</summary>
    public static bool AreEqual(SyncMLCommand? a, SyncMLCommand? b, out string difference)
    {
        difference = Command("", a, b) ?? "";
        return difference.Length == 0;
    }

    private static string? Messages(SyncMLMessage? a, SyncMLMessage? b)
    {
        if (a is null || b is null) return a == b ? null : Presence("message", a, b);
        static string EffectiveNamespace(string? ns) => string.IsNullOrEmpty(ns) ? SyncMLNames.Namespace12 : ns;
        return Value("Namespace", EffectiveNamespace(a.Namespace), EffectiveNamespace(b.Namespace))
            ?? SyncHdr(a.SyncHdr, b.SyncHdr)
            ?? Flag("SyncBody/Final", a.SyncBody.Final, b.SyncBody.Final)
            ?? Commands("SyncBody", a.SyncBody.Commands, b.SyncBody.Commands);
    }

    private static string? SyncHdr(SyncHdr? a, SyncHdr? b)
    {
        const string p = "SyncHdr";
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return Value(p + "/VerDTD", a.VerDTD, b.VerDTD)
            ?? Value(p + "/VerProto", a.VerProto, b.VerProto)
            ?? Value(p + "/SessionID", a.SessionID, b.SessionID)
            ?? Value(p + "/MsgID", a.MsgID, b.MsgID)
            ?? Location(p + "/Target", a.Target, b.Target)
            ?? Location(p + "/Source", a.Source, b.Source)
            ?? Value(p + "/RespURI", a.RespURI, b.RespURI)
            ?? Flag(p + "/NoResp", a.NoResp, b.NoResp)
            ?? Cred(p + "/Cred", a.Cred, b.Cred)
            ?? Meta(p + "/Meta", a.Meta, b.Meta);
    }

    private static string? Commands(string path, List<SyncMLCommand> a, List<SyncMLCommand> b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            string? d = Command($"{path}/[{i}]{a[i].Name}", a[i], b[i]);
            if (d is not null) return d;
        }

        return a.Count == b.Count ? null : $"{path}: {a.Count} commands vs {b.Count}";
    }

    private static string? Command(string p, SyncMLCommand? a, SyncMLCommand? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        if (a.GetType() != b.GetType()) return $"{p}: {a.GetType().Name} vs {b.GetType().Name}";
        string? d = Value(p + "/CmdID", a.CmdID, b.CmdID) ?? Flag(p + "/NoResp", a.NoResp, b.NoResp);
        if (d is not null) return d;
        switch (a)
        {
            case UnknownCommand ua:
                var ub = (UnknownCommand)b;
                return Value(p + "/ElementName", ua.ElementName, ub.ElementName) ?? Value(p + "/RawXml", ua.RawXml, ub.RawXml);
            case ContainerCommand ca:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var cb = (ContainerCommand)b;
                return Meta(p + "/Meta", ca.Meta, cb.Meta) ?? Commands(p, ca.Commands, cb.Commands);
            case Alert aa:
                var ab = (Alert)b;
                return Cred(p + "/Cred", aa.Cred, ab.Cred)
                    ?? Value(p + "/Data", aa.Data, ab.Data)
                    ?? Value(p + "/Correlator", aa.Correlator, ab.Correlator)
                    ?? Items(p, aa.Items, ab.Items);
            case Status sa:
                var sb = (Status)b;
                return Value(p + "/MsgRef", sa.MsgRef, sb.MsgRef)
                    ?? Value(p + "/CmdRef", sa.CmdRef, sb.CmdRef)
                    ?? Value(p + "/Cmd", sa.Cmd, sb.Cmd)
                    ?? Strings(p + "/TargetRef", sa.TargetRefs, sb.TargetRefs)
                    ?? Strings(p + "/SourceRef", sa.SourceRefs, sb.SourceRefs)
                    ?? Cred(p + "/Cred", sa.Cred, sb.Cred)
                    ?? Chal(p + "/Chal", sa.Chal, sb.Chal)
                    ?? Value(p + "/Data", sa.Data, sb.Data)
                    ?? Items(p, sa.Items, sb.Items);
            case Results ra:
                var rb = (Results)b;
                return Value(p + "/MsgRef", ra.MsgRef, rb.MsgRef)
                    ?? Value(p + "/CmdRef", ra.CmdRef, rb.CmdRef)
                    ?? Value(p + "/Cmd", ra.Cmd, rb.Cmd)
                    ?? Meta(p + "/Meta", ra.Meta, rb.Meta)
                    ?? Value(p + "/TargetRef", ra.TargetRef, rb.TargetRef)
                    ?? Value(p + "/SourceRef", ra.SourceRef, rb.SourceRef)
                    ?? Items(p, ra.Items, rb.Items);
            case ItemCommand ia:
                var ib = (ItemCommand)b;
                return Cred(p + "/Cred", ia.Cred, ib.Cred)
                    ?? Meta(p + "/Meta", ia.Meta, ib.Meta)
                    ?? (ia is Exec ea ? Value(p + "/Correlator", ea.Correlator, ((Exec)ib).Correlator) : null)
                    ?? Items(p, ia.Items, ib.Items);
            default:
                return $"{p}: cannot compare command type {a.GetType().Name}";
        }
    }

    private static string? Items(string path, ItemList a, ItemList b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            string p = $"{path}/Items[{i}]";
            string? d = Location(p + "/Target", a[i].Target, b[i].Target)
                ?? Location(p + "/Source", a[i].Source, b[i].Source)
                ?? Meta(p + "/Meta", a[i].Meta, b[i].Meta)
                ?? Data(p + "/Data", a[i].Data, b[i].Data)
                ?? Flag(p + "/MoreData", a[i].MoreData, b[i].MoreData);
            if (d is not null) return d;
        }

        return a.Count == b.Count ? null : $"{path}: {a.Count} items vs {b.Count}";
    }

    private static string? Location(string p, LocationElement? a, LocationElement? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return Value(p + "/LocURI", a.LocURI, b.LocURI) ?? Value(p + "/LocName", a.LocName, b.LocName);
    }

    private static string? Cred(string p, Cred? a, Cred? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return Meta(p + "/Meta", a.Meta, b.Meta) ?? Data(p + "/Data", a.Data, b.Data);
    }

    private static string? Chal(string p, Chal? a, Chal? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return Meta(p + "/Meta", a.Meta, b.Meta);
    }

    private static string? Meta(string p, Meta? a, Meta? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return Value(p + "/Format", a.Format, b.Format)
            ?? Value(p + "/Type", a.Type, b.Type)
            ?? Value(p + "/Size", a.Size, b.Size)
            ?? Value(p + "/MaxMsgSize", a.MaxMsgSize, b.MaxMsgSize)
            ?? Value(p + "/MaxObjSize", a.MaxObjSize, b.MaxObjSize)
            ?? Value(p + "/NextNonce", a.NextNonce, b.NextNonce)
            ?? Value(p + "/Mark", a.Mark, b.Mark)
            ?? Strings(p + "/Unknown", a.Unknown, b.Unknown);
    }

    private static string? Data(string p, Data? a, Data? b)
    {
        if (a is null || b is null) return a == b ? null : Presence(p, a, b);
        return a.Form != b.Form ? $"{p}: form {a.Form} vs {b.Form}" : Value(p, a.Value, b.Value);
    }

    private static string? Strings(string p, List<string> a, List<string> b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            string? d = Value($"{p}[{i}]", a[i], b[i]);
            if (d is not null) return d;
        }

        return a.Count == b.Count ? null : $"{p}: {a.Count} values vs {b.Count}";
    }

    private static string? Value(string p, string? a, string? b) =>
        string.Equals(a, b, StringComparison.Ordinal) ? null : $"{p}: {Show(a)} vs {Show(b)}";

    private static string? Flag(string p, bool a, bool b) => a == b ? null : $"{p}: {a} vs {b}";

    private static string Presence(string p, object? a, object? b) => $"{p}: {(a is null ? "absent" : "present")} vs {(b is null ? "absent" : "present")}";

    private static string Show(string? s)
    {
        if (s is null) return "null";
        string shown = s.Length > 80 ? s[..80] + "..." : s;
        return "\"" + shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }
}
