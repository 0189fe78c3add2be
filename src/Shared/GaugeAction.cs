namespace FluentBit.Plugins;

/// <summary>How a record value changes a gauge.</summary>
// Compiled into the runtime (public: plugin authors name it) and into the generator (internal: it reads the
// attribute argument as this enum), as System.Text.Json's Common/ files are.
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum GaugeAction
{
    /// <summary>The gauge takes the value.</summary>
    Set,

    /// <summary>The value is added to the gauge.</summary>
    Add,

    /// <summary>The value is subtracted from the gauge.</summary>
    Subtract,
}
