namespace FluentBit.Plugins;

/// <summary>How a record value changes a gauge.</summary>
public enum GaugeAction
{
    /// <summary>The gauge takes the value.</summary>
    Set,

    /// <summary>The value is added to the gauge.</summary>
    Add,

    /// <summary>The value is subtracted from the gauge.</summary>
    Subtract,
}
