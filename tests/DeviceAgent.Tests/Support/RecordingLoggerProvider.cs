using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DeviceAgent.Tests.Support;

/// <summary>
/// An in-memory logger provider for device tests (the device-side twin of MockMdm.Tests' one): every entry of every
/// category, at every level, with its exception. The emulator's tests link this file.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    /// <summary>One log call as the code made it.</summary>
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>What was logged so far, oldest first.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>The entries with event ID <paramref name="id"/>.</summary>
    public IReadOnlyList<Entry> WithEvent(int id) => [.. _entries.Where(e => e.EventId.Id == id)];

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The recording factory is its own only provider.");

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
