using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

public class CachingTests
{
    private const string Plugin = """
        using FluentBit.Plugins;
        namespace Demo;
        [FluentBitPlugin("demo_exporter", "Demo")]
        public sealed partial class DemoExporter : PrometheusExporter<DemoRecord> { }
        public sealed class DemoRecord
        {
            [Key("v"), Gauge("demo_value", "Value"), Label("source", "demo")] public double Value { get; set; }
            public double Other { get; set; }
            public static int Helper() => 1;
        }
        """;

    public static TheoryData<string, string> EditsThatChangeNoDeclaration => new()
    {
        { "a blank line above the plugin class", "\n[FluentBitPlugin" },
        { "an edit inside a method body", "public static int Helper() => 2;" },
    };

    [Fact]
    public void AnEditToAnUnrelatedFileLeavesEveryStepCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Plugin, "namespace Demo; public static class Other { public static int A => 1; }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation);
        Assert.Equal(2, driver.GetRunResult().Results.Single().GeneratedSources.Length);

        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int A => 2; }", GeneratorHarness.ParseOptions, other.FilePath));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { PluginGenerator.ParseStep, PluginGenerator.ModelStep, PluginGenerator.CombineStep, PluginGenerator.DiagnosticsStep })
        {
            AssertNotRecomputed(second, step);
        }

        AssertSourceOutputCached(second);
    }

    /// <summary>The plugin's own file changes, so Parse runs again, but the model it yields is equal: nothing is re-emitted.</summary>
    [Theory]
    [MemberData(nameof(EditsThatChangeNoDeclaration))]
    public void AnEditThatChangesNoDeclarationLeavesTheSourceOutputCached(string edit, string replacement)
    {
        string before = Plugin;
        string after = edit.StartsWith("a blank line") ? before.Replace("[FluentBitPlugin", replacement) : before.Replace("public static int Helper() => 1;", replacement);
        Assert.NotEqual(before, after);

        CSharpCompilation compilation = GeneratorHarness.Compile(before);
        GeneratorDriver driver = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(after, GeneratorHarness.ParseOptions, tree.FilePath))).GetRunResult().Results.Single();

        AssertNotRecomputed(second, PluginGenerator.ModelStep);
        AssertNotRecomputed(second, PluginGenerator.CombineStep);
        AssertSourceOutputCached(second);
    }

    /// <summary>Diagnostics are not cached with the source: when the class moves, the diagnostic moves with it.</summary>
    [Fact]
    public void ADiagnosticFollowsTheClassWhenItMoves()
    {
        string withWarning = Plugin.Replace("public double Other { get; set; }", "[Gauge(\"demo_value\", \"Another help\"), Label(\"source\", \"other\")] public double Other { get; set; }");
        CSharpCompilation compilation = GeneratorHarness.Compile(withWarning);
        GeneratorDriver driver = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation);
        Diagnostic first = Assert.Single(driver.GetRunResult().Diagnostics);
        Assert.Equal("FBP017", first.Id);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation moved = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("\n\n" + withWarning, GeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorDriverRunResult second = driver.RunGenerators(moved).GetRunResult();

        Diagnostic after = Assert.Single(second.Diagnostics);
        Assert.Equal(first.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);
        AssertSourceOutputCached(second.Results.Single());
    }

    private static void AssertNotRecomputed(GeneratorRunResult result, string step)
    {
        IncrementalGeneratorRunStep[] runs = result.TrackedSteps[step].ToArray();
        Assert.NotEmpty(runs);
        Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"step {step} was {o.Reason}"));
    }

    /// <summary>The output that adds source is the one fed by the Combine step; the diagnostics output may rerun.</summary>
    private static void AssertSourceOutputCached(GeneratorRunResult result)
    {
        IncrementalGeneratorRunStep[] emit = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(r => r.Inputs.Any(i => i.Source.Name == PluginGenerator.CombineStep))
            .ToArray();
        Assert.NotEmpty(emit);
        Assert.All(emit.SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void AnEditToTheRecordRegeneratesTheSource()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Plugin);
        GeneratorDriver driver = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Plugin.Replace("\"demo\")", "\"other\")"), GeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(second.TrackedSteps[PluginGenerator.ParseStep].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("WithLabels(\"other\")", second.GeneratedSources.Single(s => s.HintName.EndsWith("FluentBitPlugin.g.cs")).SourceText.ToString());
    }

    /// <summary>A model holding a symbol, syntax node or compilation would defeat caching and keep compilations alive.</summary>
    [Fact]
    public void TheModelHoldsNoCompilerObjects()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Plugin);
        GeneratorRunResult result = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (object value in result.TrackedSteps[PluginGenerator.ParseStep].SelectMany(r => r.Outputs).Select(o => o.Value))
        {
            AssertNoCompilerObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), value.GetType().Name);
        }
    }

    private static void AssertNoCompilerObjects(object? value, HashSet<object> visited, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or Location or SemanticModel, $"{path} holds a {value.GetType().Name}");
        if (value is DiagnosticDescriptor)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoCompilerObjects(item, visited, $"{path}[{i++}]");
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), visited, $"{path}.{field.Name}");
        }
    }
}
