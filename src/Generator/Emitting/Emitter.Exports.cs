using static FluentBit.Plugins.Generator.Emitting.KnownTypeNames;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the C symbols Fluent Bit's proxy loader looks up with dlsym. Each is a one-line forward to
/// PluginRuntime, which guards it: no exception crosses into Fluent Bit.
/// </summary>
internal sealed partial class Emitter
{
    private string EmitExports()
    {
        string runtime = $"{PluginRuntime}<{QualifiedName()}, {_plugin.RecordType}, {QualifiedName()}.Instruments>";
        var w = new SourceWriter();
        WriteHeader(w);
        w.Line($"using Runtime = {runtime};");
        w.Line();
        w.Open($"partial class {_plugin.ClassName}");
        w.Line("/// <summary>The entry points of the plugin's .so, in the order Fluent Bit calls them.</summary>");
        w.Line(GeneratedCode);
        w.Open("private static class NativeExports");
        // With FluentBitConfigMap (the default), Fluent Bit 5.1.1 and later check every key of the [OUTPUT] against the
        // plugin's own list; the runtime registers it only where the definition has that field.
        WriteExport(w, "FLBPluginRegister", "int Register(nint definition)", _configMap ? "Runtime.RegisterWithConfigMap(definition)" : "Runtime.Register(definition)");
        WriteExport(w, "FLBPluginInit", "int Init(nint plugin)", "Runtime.Init(plugin)");
        // A hook is user code that may need any amount of stack: it runs on a thread of the plugin's own, with a
        // big stack and a guard page, instead of on Fluent Bit's small coroutine stack.
        string flush = _plugin.HasHook ? "FlushOnOwnStack" : "Flush";
        WriteExport(w, "FLBPluginFlushCtx", "int FlushCtx(nint remoteContext, nint data, nuint size, nint tag)", $"Runtime.{flush}(remoteContext, data, size, tag)");
        WriteExport(w, "FLBPluginExitCtx", "int ExitCtx(nint remoteContext)", "Runtime.ExitInstance(remoteContext)");
        WriteExport(w, "FLBPluginExit", "int Exit()", "Runtime.ExitAll()");
        WriteExport(w, "FLBPluginUnregister", "void Unregister(nint definition)", "Runtime.Unregister(definition)", last: true);
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void WriteExport(SourceWriter w, string symbol, string signature, string call, bool last = false)
    {
        w.Line($"[{UnmanagedCallersOnlyAttribute}(EntryPoint = \"{symbol}\")]");
        w.Line($"private static {signature} => {call};");
        if (!last)
        {
            w.Line();
        }
    }
}
