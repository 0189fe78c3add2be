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
        }
        """;

    [Fact]
    public void AnUnrelatedEditLeavesEveryStepCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Plugin, "namespace Demo; public static class Other { public static int A => 1; }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver("demo_exporter", trackSteps: true).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Equal(2, first.GeneratedSources.Length);

        // Replace the unrelated file with an edited version.
        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int A => 2; }", GeneratorHarness.ParseOptions, other.FilePath));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { PluginGenerator.ParseStep, PluginGenerator.CombineStep })
        {
            IncrementalGeneratorRunStep[] runs = second.TrackedSteps[step].ToArray();
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} was {o.Reason}"));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
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
