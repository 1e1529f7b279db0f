namespace DeviceAgent.Ngc;

/// <summary>The outcome of an NGC operation that returns nothing else.</summary>
public readonly record struct NgcResult(NgcOutcome Outcome)
{
    /// <summary>Whether <see cref="Outcome"/> is <see cref="NgcOutcome.Success"/>.</summary>
    public bool IsSuccess => Outcome == NgcOutcome.Success;

    /// <summary>The success result.</summary>
    public static NgcResult Success => new(NgcOutcome.Success);

    /// <summary>Wraps an outcome.</summary>
    public static implicit operator NgcResult(NgcOutcome outcome) => new(outcome);

    /// <inheritdoc/>
    public override string ToString() => Outcome.ToString();
}

/// <summary>The outcome of an NGC operation and, on success, its value.</summary>
public readonly record struct NgcResult<T>(NgcOutcome Outcome, T? Value)
{
    /// <summary>Whether <see cref="Outcome"/> is <see cref="NgcOutcome.Success"/>.</summary>
    public bool IsSuccess => Outcome == NgcOutcome.Success;

    /// <summary>The value of a successful result; throws with the outcome's name otherwise.</summary>
    public T Required => IsSuccess && Value is not null
        ? Value
        : throw new InvalidOperationException($"The NGC operation did not succeed: {Outcome}.");

    /// <summary>A failed result.</summary>
    public static implicit operator NgcResult<T>(NgcOutcome outcome) =>
        outcome == NgcOutcome.Success
            ? throw new ArgumentException("A successful result needs a value.", nameof(outcome))
            : new(outcome, default);

    /// <summary>A successful result.</summary>
    public static implicit operator NgcResult<T>(T value) => new(NgcOutcome.Success, value);

    /// <inheritdoc/>
    public override string ToString() => Outcome.ToString();
}
