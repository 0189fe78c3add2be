using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentBit.Plugins.EndToEnd.Tests;
using FluentBit.Plugins.Testing;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>
/// The files of docs/ are what they claim: Prometheus configurations promtool accepts, dashboards Grafana can import
/// whose queries are PromQL, Kubernetes manifests and Fluent Bit configuration that parse and agree with each
/// other. (The samples' tests check that the dashboards' metrics are the ones the samples export.)
/// </summary>
public partial class DocsTests
{
    private static readonly string Docs = Path.Combine(Vectors.RepoRoot(), "docs");

    public static TheoryData<string> Dashboards => new(Directory.GetFiles(Path.Combine(Docs, "grafana"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [InlineData("prometheus/prometheus.yml")]
    [InlineData("kubernetes/prometheus.yml")]
    public void PrometheusConfigurationsPassPromtool(string file)
    {
        string text = File.ReadAllText(Path.Combine(Docs, file));

        // Debian's Prometheus is built without Kubernetes discovery: check the rest with a static target in its place.
        text = KubernetesDiscovery().Replace(text, "$1static_configs:\n$1  - targets: [\"localhost:8989\"]\n");
        string checkedFile = Path.Combine(Path.GetTempPath(), $"prometheus-{Guid.NewGuid():N}.yml");
        File.WriteAllText(checkedFile, text);
        try
        {
            string output = DotnetCli.RunProgram("promtool", Path.GetTempPath(), "check", "config", checkedFile);
            Assert.Contains("SUCCESS", output);
        }
        finally
        {
            File.Delete(checkedFile);
        }
    }

    /// <summary>
    /// What promtool cannot check here (Debian's Prometheus is built without Kubernetes discovery, so the test above
    /// swaps the block for a static target): the real file's kubernetes_sd_configs, read as YAML, hold only keys and a
    /// role Prometheus 2.42 accepts (config.ScrapeConfig, discovery/kubernetes.SDConfig), and every
    /// <c>__meta_kubernetes_*</c> label the relabelling reads is one that role sets.
    /// </summary>
    [Fact]
    public void TheKubernetesDiscoveryBlockIsOnePrometheusAccepts()
    {
        string[] sdKeys = ["role", "namespaces", "selectors", "api_server", "kubeconfig_file", "attach_metadata", "basic_auth", "authorization",
                           "oauth2", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2"];
        string[] roles = ["node", "service", "pod", "endpoints", "endpointslice", "ingress"];
        // The labels the pod role sets (Prometheus 2.42 documentation, kubernetes_sd_config, role pod).
        string[] podLabels = ["__meta_kubernetes_namespace", "__meta_kubernetes_pod_name", "__meta_kubernetes_pod_ip", "__meta_kubernetes_pod_container_init",
                              "__meta_kubernetes_pod_container_name", "__meta_kubernetes_pod_container_id", "__meta_kubernetes_pod_container_image",
                              "__meta_kubernetes_pod_container_port_name", "__meta_kubernetes_pod_container_port_number", "__meta_kubernetes_pod_container_port_protocol",
                              "__meta_kubernetes_pod_ready", "__meta_kubernetes_pod_phase", "__meta_kubernetes_pod_node_name", "__meta_kubernetes_pod_host_ip",
                              "__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_controller_kind", "__meta_kubernetes_pod_controller_name"];
        string[] podLabelPrefixes = ["__meta_kubernetes_pod_label_", "__meta_kubernetes_pod_labelpresent_", "__meta_kubernetes_pod_annotation_", "__meta_kubernetes_pod_annotationpresent_"];

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Docs, "kubernetes", "prometheus.yml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var jobs = ((YamlSequenceNode)root["scrape_configs"]).Cast<YamlMappingNode>().Where(j => j.Children.ContainsKey("kubernetes_sd_configs")).ToList();
        Assert.NotEmpty(jobs);
        foreach (YamlMappingNode job in jobs)
        {
            foreach (YamlMappingNode sd in ((YamlSequenceNode)job["kubernetes_sd_configs"]).Cast<YamlMappingNode>())
            {
                Assert.All(sd.Children.Keys.Select(k => ((YamlScalarNode)k).Value!), key => Assert.Contains(key, sdKeys));
                string role = ((YamlScalarNode)sd["role"]).Value!;
                Assert.Contains(role, roles);
                Assert.Equal("pod", role);
                if (sd.Children.TryGetValue("namespaces", out YamlNode? namespaces))
                {
                    Assert.All(((YamlMappingNode)namespaces).Children.Keys.Select(k => ((YamlScalarNode)k).Value!), key => Assert.Contains(key, new[] { "names", "own_namespace" }));
                    Assert.All((YamlSequenceNode)((YamlMappingNode)namespaces)["names"], n => Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ((YamlScalarNode)n).Value!));
                }
            }

            var read = ((YamlSequenceNode)job["relabel_configs"]).Cast<YamlMappingNode>()
                .Where(r => r.Children.ContainsKey("source_labels"))
                .SelectMany(r => (YamlSequenceNode)r["source_labels"]).Select(n => ((YamlScalarNode)n).Value!)
                .Where(l => l.StartsWith("__meta_kubernetes_", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(read);
            Assert.All(read, label => Assert.True(podLabels.Contains(label) || podLabelPrefixes.Any(p => label.StartsWith(p, StringComparison.Ordinal) && label.Length > p.Length),
                $"{label} is not a label the pod role sets"));
        }
    }

    /// <summary>
    /// The access-log dashboard's latency panel asks Grafana for exemplars (the sample's trace ids), so a spike links to
    /// the request; only a time series panel over the histogram's buckets can show them.
    /// </summary>
    [Fact]
    public void TheAccessLogDashboardShowsExemplarsOnItsLatencyPanel()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "grafana", "access-log-exporter.json")));
        JsonElement[] withExemplars = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.GetProperty("targets").EnumerateArray().Any(t => t.TryGetProperty("exemplar", out JsonElement e) && e.GetBoolean()))
            .ToArray();

        JsonElement panel = Assert.Single(withExemplars);
        Assert.Equal("timeseries", panel.GetProperty("type").GetString());
        Assert.All(panel.GetProperty("targets").EnumerateArray(), t =>
        {
            Assert.Contains("http_request_duration_seconds_bucket", t.GetProperty("expr").GetString());
            Assert.True(t.GetProperty("exemplar").GetBoolean());
        });
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void DashboardsAreImportableAndTheirQueriesArePromQl(string file)
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "grafana", file)));
        JsonElement root = dashboard.RootElement;
        Assert.Equal("DS_PROMETHEUS", root.GetProperty("__inputs")[0].GetProperty("name").GetString());
        Assert.StartsWith("fbp-", root.GetProperty("uid").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));

        var ids = new HashSet<int>();
        foreach (JsonElement panel in root.GetProperty("panels").EnumerateArray())
        {
            Assert.True(ids.Add(panel.GetProperty("id").GetInt32()));
            Assert.Equal("${DS_PROMETHEUS}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(panel.GetProperty("gridPos").GetProperty("w").GetInt32() is > 0 and <= 24);
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }

        List<string> queries = Queries(root);

        // Each variable lists a label's values (the instance, the span sample's service) and every query filters on it.
        foreach (JsonElement variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            Match values = Regex.Match(variable.GetProperty("definition").GetString()!, @"^label_values\([a-z_]+, ([a-z_]+)\)$");
            Assert.True(values.Success, variable.GetProperty("definition").GetString());
            string filter = $"{values.Groups[1].Value}=~\"${variable.GetProperty("name").GetString()}\"";
            Assert.All(queries, q => Assert.Contains(filter, q));
        }

        // Each query as a recording rule, with Grafana's variables as Prometheus would receive them.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.Count; i++)
        {
            string expr = queries[i].Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal);
            rules.Append($"      - record: dashboard:query{i}\n        expr: {JsonSerializer.Serialize(expr)}\n");
        }

        string rulesFile = Path.Combine(Path.GetTempPath(), $"dashboard-{Guid.NewGuid():N}.yml");
        File.WriteAllText(rulesFile, rules.ToString());
        try
        {
            Assert.Contains($"SUCCESS: {queries.Count} rules found", DotnetCli.RunProgram("promtool", Path.GetTempPath(), "check", "rules", rulesFile));
        }
        finally
        {
            File.Delete(rulesFile);
        }
    }

    /// <summary>Every metric a dashboard queries is one its sample serves, scraped from the published sample in the host.</summary>
    [Theory]
    [InlineData("cpu-exporter.json")]
    [InlineData("access-log-exporter.json")]
    [InlineData("span-metrics.json")]
    public void DashboardsQueryTheMetricsTheirSampleServes(string file)
    {
        int port = Scrape.FreePort();
        string spans = Path.Combine(Path.GetTempPath(), $"spans-{Guid.NewGuid():N}.msgpack");
        File.WriteAllBytes(spans, new FluentBit.Plugins.TestKit.TraceChunkBuilder()
            .Add(new FluentBit.Plugins.TestKit.TestSpan("GET /api/items") { ServiceName = "checkout" })
            .Add(new FluentBit.Plugins.TestKit.TestSpan("GET /api/items") { ServiceName = "checkout", Status = FluentBit.Plugins.TestKit.TestSpanStatus.Error })
            .ToArray());
        string[] source = file switch
        {
            "cpu-exporter.json" => ["-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "--cpu", "--interval", "0.1", "--count", "2"],
            "span-metrics.json" => ["-e", Artifacts.SpanMetrics, "-o", "span_metrics", "--chunks", spans],
            _ => ["-e", Artifacts.AccessLogExporter, "-o", "access_log_exporter", "--chunks", Path.Combine(Vectors.RepoRoot(), "samples", "AccessLogExporter", "sample-access.msgpack")],
        };
        using HostProcess host = HostProcess.Start([.. source, "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "--wait"]);
        host.WaitFor("flb-host: ready");
        HashSet<string> served = [.. Scrape.Metrics(port).Keys.Select(k => k.Split('{')[0])];
        Assert.Equal(0, host.Stop());
        File.Delete(spans);

        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "grafana", file)));
        string[] queried = [.. Queries(dashboard.RootElement).SelectMany(q => MetricSelector().Matches(q)).Select(m => m.Groups[1].Value).Distinct()];
        Assert.NotEmpty(queried);
        Assert.All(queried, metric => Assert.Contains(metric, served));
    }

    [Fact]
    public void TheDaemonSetRunsTheImagesConfigurationAndExposesEachExporter()
    {
        YamlMappingNode[] manifests = LoadAll(Path.Combine(Docs, "kubernetes", "fluent-bit-daemonset.yaml"));
        YamlMappingNode configMap = manifests.Single(m => Scalar(m, "kind") == "ConfigMap");
        YamlMappingNode daemonSet = manifests.Single(m => Scalar(m, "kind") == "DaemonSet");

        // The ConfigMap's configuration loads the same plugins and runs the same pipeline as the image's file.
        YamlMappingNode mounted = LoadAll(new StringReader(Scalar(Map(configMap, "data"), "fluent-bit.yaml")))[0];
        YamlMappingNode image = LoadAll(Path.Combine(Docs, "kubernetes", "fluent-bit.yaml"))[0];
        Assert.Equal(Flatten(image["plugins"]), Flatten(mounted["plugins"]));
        Assert.Equal(Flatten(image["pipeline"]), Flatten(mounted["pipeline"]));

        // Every exporter's http_port is a container port named metrics-*, which the scrape job keeps.
        YamlMappingNode template = Map(Map(daemonSet, "spec"), "template");
        Assert.Equal("true", Scalar(Map(Map(template, "metadata"), "annotations"), "prometheus.io/scrape"));
        YamlMappingNode container = (YamlMappingNode)((YamlSequenceNode)Map(template, "spec")["containers"])[0];
        string[] ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>()
            .Where(p => Scalar(p, "name").StartsWith("metrics-", StringComparison.Ordinal)).Select(p => Scalar(p, "containerPort")).Order().ToArray();
        string[] httpPorts = ((YamlSequenceNode)Map(mounted, "pipeline")["outputs"]).Cast<YamlMappingNode>().Select(o => Scalar(o, "http_port")).Order().ToArray();
        Assert.Equal(httpPorts, ports);
        Assert.Contains("regex: metrics-.+", File.ReadAllText(Path.Combine(Docs, "kubernetes", "prometheus.yml")));

        // The image adds exactly the plugins the configuration loads, to the official Fluent Bit image, from the folder
        // of the architecture docker buildx builds for (TARGETARCH: one image for amd64 and arm64 nodes).
        string dockerfile = File.ReadAllText(Path.Combine(Docs, "kubernetes", "Dockerfile"));
        Assert.Matches(@"(?m)^FROM fluent/fluent-bit:\d+\.\d+\.\d+$", dockerfile);
        Assert.Matches(@"(?m)^ARG TARGETARCH$", dockerfile);
        foreach (YamlNode plugin in (YamlSequenceNode)image["plugins"])
        {
            Assert.Contains($"plugins/${{TARGETARCH}}/{Path.GetFileName(((YamlScalarNode)plugin).Value)}", dockerfile);
        }
    }

    [Fact]
    public void EveryYamlBlockOfTheDocumentationParses()
    {
        string[] documents = [Path.Combine(Vectors.RepoRoot(), "README.md"), .. Directory.GetFiles(Docs, "*.md", SearchOption.AllDirectories)];
        int blocks = 0;
        foreach (string document in documents)
        {
            foreach (Match block in YamlBlock().Matches(File.ReadAllText(document)))
            {
                Exception? error = Record.Exception(() => LoadAll(new StringReader(block.Groups[1].Value)));
                Assert.True(error is null, $"{Path.GetFileName(document)}: a yaml block does not parse: {error?.Message}\n{block.Groups[1].Value}");
                blocks++;
            }
        }

        Assert.True(blocks >= 2, $"only {blocks} yaml blocks found");
    }

    /// <summary>The PromQL of every panel's targets.</summary>
    private static List<string> Queries(JsonElement dashboard) =>
        [.. dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!)];

    private static YamlMappingNode[] LoadAll(string path)
    {
        using var reader = new StreamReader(path);
        return LoadAll(reader);
    }

    private static YamlMappingNode[] LoadAll(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToArray();
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    /// <summary>A node as comparable text: every scalar with its path.</summary>
    private static string Flatten(YamlNode node, string path = "") => node switch
    {
        YamlScalarNode scalar => $"{path}={scalar.Value}\n",
        YamlSequenceNode sequence => string.Concat(sequence.Select((n, i) => Flatten(n, $"{path}[{i}]"))),
        YamlMappingNode mapping => string.Concat(mapping.Select(p => Flatten(p.Value, $"{path}.{((YamlScalarNode)p.Key).Value}"))),
        _ => throw new ArgumentException($"unexpected node {node}"),
    };

    [GeneratedRegex(@"(?m)^(\s*)kubernetes_sd_configs:\n(?:\1\s+.*\n)+")]
    private static partial Regex KubernetesDiscovery();

    /// <summary>A metric name before a label selector in a query: <c>http_requests_total{...}</c>.</summary>
    [GeneratedRegex(@"\b([a-z_:][a-z0-9_:]*)\{")]
    private static partial Regex MetricSelector();

    [GeneratedRegex(@"(?ms)^```yaml\n(.*?)^```")]
    private static partial Regex YamlBlock();
}
