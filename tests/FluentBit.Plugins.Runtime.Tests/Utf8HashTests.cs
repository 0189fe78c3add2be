using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FluentBit.Plugins.Lookup;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class Utf8HashTests
{
    [Fact]
    public void EqualBytesHashEquallyWhateverTheirMemory()
    {
        for (int length = 0; length <= 40; length++)
        {
            byte[] key = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
            byte[] padded = [0xff, .. key, 0xff];
            Assert.Equal(Utf8Hash.Of(key), Utf8Hash.Of(padded.AsSpan(1, length)));
        }
    }

    [Fact]
    public void EveryByteAndTheLengthCount()
    {
        var hashes = new HashSet<int>();
        int keys = 0;
        for (int length = 1; length <= 40; length++)
        {
            for (int position = 0; position < length; position++)
            {
                byte[] key = new byte[length];
                key[position] = 1;
                hashes.Add(Utf8Hash.Of(key));
                keys++;
            }

            hashes.Add(Utf8Hash.Of(new byte[length]));
            keys++;
        }

        Assert.Equal(keys, hashes.Count);
    }

    [Fact]
    public void SimilarKeysSpreadOverTheBuckets()
    {
        const int Buckets = 16384;
        const int Keys = 10_000;
        int used = Enumerable.Range(0, Keys).Select(i => Utf8Hash.Of(Encoding.UTF8.GetBytes($"cpu{i}.p_user")) & (Buckets - 1)).Distinct().Count();

        // Random hashes fill about Buckets * (1 - e^(-Keys/Buckets)) = 7,000 buckets.
        Assert.InRange(used, 6_500, Keys);
    }
}
