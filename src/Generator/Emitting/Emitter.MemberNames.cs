using System.Collections.Generic;
using System.Text;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

internal sealed partial class Emitter
{
    /// <summary>Readable, collision-free identifiers for the generated members and locals.</summary>
    private sealed class MemberNames
    {
        private readonly Dictionary<string, string> _metricNames = new();
        private readonly Dictionary<UpdateModel, string> _children = new();

        public MemberNames(PluginModel plugin)
        {
            var used = new HashSet<string>();
            foreach (MetricModel metric in plugin.Metrics)
            {
                string name = Pascal(metric.Name);
                string unique = name;
                for (int n = 2; !used.Add(unique) || !used.Add(unique + "Health") || !used.Add(unique + "Series"); n++)
                {
                    unique = name + n;
                }

                _metricNames[metric.Name] = unique;
            }

            // One member per update: a property may feed one metric several times with different constant labels.
            // (Identical updates are FBP030, so a model that reaches the emitter has none.)
            foreach (UpdateModel update in plugin.Updates)
            {
                string name = $"{_metricNames[update.MetricName]}_{update.ValueProperty ?? "Each"}";
                string unique = name;
                for (int n = 2; !used.Add(unique); n++)
                {
                    unique = name + n;
                }

                _children[update] = unique;
            }
        }

        /// <summary>The collector of a metric.</summary>
        public string Metric(string metricName) => _metricNames[metricName];

        /// <summary>The skip and cap counters of a metric.</summary>
        public string Health(string metricName) => _metricNames[metricName] + "Health";

        /// <summary>The run-time series table of a metric whose labels come from the record.</summary>
        public string Series(string metricName) => _metricNames[metricName] + "Series";

        /// <summary>The child resolved once for an update whose labels are all constant.</summary>
        public string Child(UpdateModel update) => _children[update];

        public string Pattern(int index) => $"KeyPattern{index}";

        /// <summary>Whether a field was found in this event: 0 missing, 1 read, 2 present but not convertible.</summary>
        public string State(FieldModel field) => $"state{field.PropertyName}";

        /// <summary>Whether a string field's value had invalid UTF-8 replaced.</summary>
        public string Replaced(FieldModel field) => $"replaced{field.PropertyName}";

        private static string Pascal(string metricName)
        {
            var text = new StringBuilder();
            foreach (string part in metricName.Split('_', ':'))
            {
                if (part.Length > 0)
                {
                    text.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
                }
            }

            if (text.Length == 0 || char.IsDigit(text[0]))
            {
                text.Insert(0, "Metric");
            }

            return text.ToString();
        }
    }
}
