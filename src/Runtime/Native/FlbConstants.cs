namespace FluentBit.Plugins.Native;

/// <summary>Values of Fluent Bit's proxy ABI (see docs in the repository's README).</summary>
internal static class FlbConstants
{
    public const int PluginTypeOutput = 2;
    public const int ProxyGolang = 11;

    /// <summary><c>event_type</c> of an output that receives traces (FLB_OUTPUT_TRACES in flb_output.h, 4.2 and later).</summary>
    public const int OutputTraces = 4;

    /// <summary>Flush result: the chunk is dropped.</summary>
    public const int Error = 0;

    /// <summary>Flush result: the chunk was handled.</summary>
    public const int Ok = 1;

    /// <summary>Flush result: Fluent Bit retries the chunk later.</summary>
    public const int Retry = 2;

    /// <summary>Init result that fails the instance (Fluent Bit then exits).</summary>
    public const int InitFailed = 0;

    public const int InitOk = 1;

    /// <summary>FLB_CONFIG_MAP_STR: a <see cref="FlbConfigMap"/> entry's type.</summary>
    public const int ConfigMapString = 0;

    /// <summary>FLB_CONFIG_MAP_INT.</summary>
    public const int ConfigMapInteger = 2;

    /// <summary>FLB_CONFIG_MAP_BOOL.</summary>
    public const int ConfigMapBoolean = 3;
}

/// <summary>Fluent Bit's log levels, as <c>log_print</c> and <c>output_log_check</c> take them.</summary>
internal enum FlbLogLevel
{
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}
