using System.Linq;
using FluentBit.Plugins.Patterns;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

public class RecordAccessorTests
{
    private static string Describe(RecordAccessorSyntax path) =>
        string.Join(" ", path.Segments.Select(s => s.IsIndex ? "#" + s.Index : "'" + s.Key + "'"));

    [Theory]
    [InlineData("$log", "'log'")]
    [InlineData("$kubernetes['labels']['app']", "'kubernetes' 'labels' 'app'")]
    [InlineData("$kubernetes['labels']['app.kubernetes.io/name']", "'kubernetes' 'labels' 'app.kubernetes.io/name'")]
    [InlineData("$arr[0]", "'arr' #0")]
    [InlineData("$a['b'][12]['c']", "'a' 'b' #12 'c'")]
    [InlineData("$a['it''s']", "'a' 'it's'")]
    [InlineData("$a['']", "'a' ''")]
    [InlineData("$_x-y/z9", "'_x-y/z9'")]
    [InlineData("$tag", "'tag'")]
    [InlineData("$a['user agent, \"full\"']", "'a' 'user agent, \"full\"'")]
    public void ParsesFluentBitRecordAccessors(string text, string segments)
    {
        RecordAccessorSyntax? path = RecordAccessorSyntax.Parse(text, out string error);

        Assert.True(path is not null, error);
        Assert.False(path.IsLiteral);
        Assert.Equal(segments, Describe(path));
        Assert.Equal(path.Segments.Length > 1, path.IsNested);
        Assert.Equal(path.Segments[0].Key, path.TopLevelKey);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("cpu0.p_cpu")]
    [InlineData("Mem.total")]
    [InlineData("@timestamp")]
    [InlineData("a['b']")]
    public void AStringWithoutDollarIsOneLiteralKey(string text)
    {
        RecordAccessorSyntax path = RecordAccessorSyntax.Parse(text, out _)!;

        Assert.True(path.IsLiteral);
        Assert.False(path.IsNested);
        Assert.Equal(text, path.TopLevelKey);
        Assert.Equal(text, path.ToString());
    }

    [Theory]
    [InlineData("$a['b'][0]", "$a['b'][0]")]
    [InlineData("$a['it''s']", "$a['it''s']")]
    public void PrintsTheCanonicalForm(string text, string canonical)
    {
        Assert.Equal(canonical, RecordAccessorSyntax.Parse(text, out _)!.ToString());
    }

    [Theory]
    [InlineData("", "a record key cannot be empty")]
    [InlineData("$", "'$' must be followed by a key name, as in $log or $kubernetes['labels']['app']")]
    [InlineData("$@timestamp", "unexpected '@' at position 1: a key after '$' starts with a letter or '_' (for any other top-level key, write it without '$')")]
    [InlineData("$9lives", "$9 is a regex capture in Fluent Bit's record accessor, not a record key")]
    [InlineData("$TAG", "$TAG is the tag in Fluent Bit's record accessor, not a record key; take a label from the tag or its parts instead")]
    [InlineData("$TAG[1]", "$TAG is the tag in Fluent Bit's record accessor, not a record key; take a label from the tag or its parts instead")]
    [InlineData("${HOME}", "${...} is an environment variable in Fluent Bit, not a record key")]
    [InlineData("$kubernetes.labels", "'.' at position 11: Fluent Bit reads $a.b as the key 'a' followed by text; write $kubernetes['...'] for a nested key")]
    [InlineData("$a['b'].c", "'.' at position 7: Fluent Bit reads $a.b as the key 'a' followed by text; write $a['...'] for a nested key")]
    [InlineData("$a[\"b\"]", "the key at position 3 is in double quotes; Fluent Bit's record accessor quotes keys with single quotes: ['...']")]
    [InlineData("$a[-1]", "the negative index at position 3: Fluent Bit's record accessor counts array elements from 0 only")]
    [InlineData("$a[01]", "the index '01' at position 3 has a leading zero; write [1]")]
    [InlineData("$a[00]", "the index '00' at position 3 has a leading zero; write [0]")]
    [InlineData("$a[99999999999]", "the index 99999999999 at position 3 is too large")]
    [InlineData("$a[]", "empty brackets at position 2: write ['key'] or [index]")]
    [InlineData("$a[", "the '[' at position 2 is not closed with ']'")]
    [InlineData("$a['b'", "the '[' at position 2 is not closed with ']'")]
    [InlineData("$a['b]", "the quote opened at position 3 is not closed (write '' for a quote inside a key)")]
    [InlineData("$a['b'x]", "unexpected 'x' at position 6: expected ']' to close the '[' at position 2")]
    [InlineData("$a[b]", "unexpected 'b' at position 3: inside brackets write a quoted key ['key'] or an index [0]")]
    [InlineData("$a ['b']", "white space at position 2: Fluent Bit ends a record accessor at a space")]
    [InlineData("$a[ 'b']", "white space at position 3: Fluent Bit ends a record accessor at a space")]
    [InlineData("$a['b']x", "unexpected 'x' at position 7: after $a only ['key'] and [index] may follow")]
    [InlineData("$a:b", "unexpected ':' at position 2: after $a only ['key'] and [index] may follow")]
    public void RejectsWhatDoesNotParseSayingHowToFixIt(string text, string message)
    {
        Assert.Null(RecordAccessorSyntax.Parse(text, out string error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void PathsCompareByText()
    {
        Assert.Equal(RecordAccessorSyntax.Parse("$a['b']", out _), RecordAccessorSyntax.Parse("$a['b']", out _));
        Assert.NotEqual(RecordAccessorSyntax.Parse("$a['b']", out _), RecordAccessorSyntax.Parse("$a[0]", out _));
        Assert.Equal(RecordAccessorSegment.ForKey("x"), RecordAccessorSegment.ForKey("x"));
        Assert.NotEqual(RecordAccessorSegment.ForIndex(0), RecordAccessorSegment.ForKey("0"));
    }
}
