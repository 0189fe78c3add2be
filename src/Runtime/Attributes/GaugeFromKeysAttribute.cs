using System;

namespace FluentBit.Plugins;

/// <summary>
/// A gauge fed by every record key that matches <see cref="KeyPattern"/>, whose labels come from the key itself.
/// <c>"{cpu}.p_{mode}"</c> turns the key <c>cpu1.p_user</c> into the series <c>{cpu="cpu1",mode="user"}</c>;
/// <c>{mode:cpu=total}</c> also rewrites the captured value <c>cpu</c> to <c>total</c>.
/// Keys that a property of the record reads are never matched against a pattern.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GaugeFromKeysAttribute : Attribute
{
    /// <param name="name">The metric name.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public GaugeFromKeysAttribute(string name, string help = "")
    {
        Name = name;
        Help = help;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text, or empty.</summary>
    public string Help { get; }

    /// <summary>Literal text and <c>{label}</c> or <c>{label:from=to,from=to}</c> captures; required.</summary>
    public string KeyPattern { get; set; } = "";
}
