using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the C symbols Fluent Bit's proxy loader looks up with dlsym. Each is a one-line forward to
/// PluginRuntime, which guards it: no exception crosses into Fluent Bit.
/// </summary>
internal static class ExportsEmitter
{
    public static string Emit(PluginModel plugin)
    {
        string runtime = $"global::FluentBit.Plugins.Hosting.PluginRuntime<{PluginEmitter.QualifiedName(plugin)}, {plugin.RecordType}, {PluginEmitter.QualifiedName(plugin)}.Instruments>";
        var w = new SourceWriter();
        PluginEmitter.WriteHeader(w, plugin);
        w.Line($"using Runtime = {runtime};");
        w.Line();
        w.Open($"partial class {plugin.ClassName}");
        w.Line("/// <summary>The entry points of the plugin's .so, in the order Fluent Bit calls them.</summary>");
        w.Line(PluginEmitter.GeneratedCodeAttribute);
        w.Open("private static class NativeExports");
        Export(w, "FLBPluginRegister", "int Register(nint definition)", "Runtime.Register(definition)");
        Export(w, "FLBPluginInit", "int Init(nint plugin)", "Runtime.Init(plugin)");
        // A hook is user code that may need any amount of stack: it runs on a thread of the plugin's own, with a
        // big stack and a guard page, instead of on Fluent Bit's small coroutine stack.
        string flush = plugin.HasHook ? "FlushOnOwnStack" : "Flush";
        Export(w, "FLBPluginFlushCtx", "int FlushCtx(nint remoteContext, nint data, nuint size, nint tag)", $"Runtime.{flush}(remoteContext, data, size, tag)");
        Export(w, "FLBPluginExitCtx", "int ExitCtx(nint remoteContext)", "Runtime.ExitInstance(remoteContext)");
        Export(w, "FLBPluginExit", "int Exit()", "Runtime.ExitAll()");
        Export(w, "FLBPluginUnregister", "void Unregister(nint definition)", "Runtime.Unregister(definition)", last: true);
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void Export(SourceWriter w, string symbol, string signature, string call, bool last = false)
    {
        w.Line($"[global::System.Runtime.InteropServices.UnmanagedCallersOnly(EntryPoint = \"{symbol}\")]");
        w.Line($"private static {signature} => {call};");
        if (!last)
        {
            w.Line();
        }
    }
}
