namespace DeviceAgent.Fuzzing;

/// <summary>How one input ended when it did not crash.</summary>
public enum FuzzOutcome
{
    /// <summary>The input was read (and, where the target goes further, acted on) without a refusal.</summary>
    Accepted,

    /// <summary>The input was refused with the parser's documented "bad input" exception.</summary>
    Rejected,
}

/// <summary>
/// One fuzz target: a product entry point that reads hostile bytes. <see cref="Run"/> returns normally for accepted and
/// refused input; any other exception escapes and is a finding (afl-fuzz counts the process's crash, the regression
/// test fails). The refusal types are each target's documented contract, decided from the code (fuzz/README.md).
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name run.sh and the regression folder (tests/corpus/fuzz/&lt;name&gt;) use.</summary>
    public abstract string Name { get; }

    /// <summary>What the target exercises, for the driver's usage text.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Builds what the target needs before the first input (a server, a recorded enrollment), so that afl-fuzz does not
    /// time the set-up as the first input's run.
    /// </summary>
    public virtual void Prepare()
    {
    }

    /// <summary>Runs one input through the entry point.</summary>
    public abstract FuzzOutcome Run(byte[] input);
}
