using DeviceAgent.SyncML;
using MockMdm.Store;

namespace MockMdm.OmaDm;

/// <summary>Reacts when a device has answered a command it queued (Status and any Results are on the record).</summary>
public interface ICommandCompletionHandler
{
    /// <summary>The <see cref="CommandOrigin.Kind"/> this handler owns.</summary>
    string Kind { get; }

    /// <summary>Called inside the session's transaction: whatever it writes commits with the device's answer.</summary>
    void OnCompleted(IStoreTransaction tx, Enrollment.DeviceRecord device, CommandRecord command);

    /// <summary>Called inside the session's transaction when the server gave the command up (<see cref="CommandRecord.Failure"/> says why).</summary>
    void OnFailed(IStoreTransaction tx, Enrollment.DeviceRecord device, CommandRecord command)
    {
    }
}

/// <summary>The per-device command queue: appends commands as raw SyncML in the caller's transaction.</summary>
public sealed class CommandQueue(IdGenerator ids, MockMdmOptions options)
{
    /// <summary>Queues <paramref name="command"/> for the device; it is sent in the device's next session.</summary>
    public CommandRecord Enqueue(IStoreTransaction tx, string deviceId, SyncMLCommand command, CommandOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(command);
        var record = new CommandRecord
        {
            Id = ids.NewId(),
            DeviceId = deviceId,
            Origin = origin,
            Xml = SyncMLWire.ToXml(command),
            CreatedDateTime = options.TimeProvider.GetUtcNow(),
        };
        tx.Put(record);
        return record;
    }

    /// <summary>An Item addressed to <paramref name="locUri"/> with optional Format and Data.</summary>
    public static Item TargetItem(string locUri, string? format = null, string? data = null) => new()
    {
        Target = new LocationElement(locUri),
        Meta = format is null ? null : new Meta { Format = format },
        Data = data is null ? null : new Data(data),
    };
}
