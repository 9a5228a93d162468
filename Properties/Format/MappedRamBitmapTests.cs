using CsCheck;
using SyncModel.Implementation.Format;

namespace SyncModel.Properties.Format;

public sealed class MappedRamBitmapTests
{
    private static readonly Gen<ulong> Word = Gen.OneOf<ulong>(
        Gen.ULong, Gen.OneOf(0UL, ulong.MaxValue, 1UL, 1UL << 63, 0x00ff00ff00ff00ffUL, 0x8000000000000001UL));

    private static readonly Gen<(ulong[] Words, long Bits)> Bitmaps =
        Word.Array[0, 6].SelectMany(words => Gen.Long[0, words.Length * 64L].Select(bits => (words, bits)));

    // Constant ulong data goes through a ulong[] local, never straight into a ReadOnlySpan<ulong>: after the
    // Coyote rewrite of this assembly, RuntimeHelpers.CreateSpan over a ulong literal throws "The field is
    // invalid for initializing array or span" (apparently the rewritten constant data field loses its alignment).
    [Fact]
    public void Words_are_little_endian_on_disk()
    {
        ulong[] words = [0x0102030405060708UL, 1UL << 63];
        var bytes = MappedRamBitmap.Encode(words);

        Assert.Equal(Convert.FromHexString("0807060504030201" + "0000000000000080"), bytes);
        Assert.Equal(words, MappedRamBitmap.Decode(bytes));
        Assert.Throws<ArgumentException>(() => MappedRamBitmap.Decode(new byte[7]));
    }

    [Fact]
    public void Bit_i_is_bit_i_mod_64_of_word_i_div_64()
    {
        var words = new ulong[3];
        MappedRamBitmap.Set(words, 0);
        MappedRamBitmap.Set(words, 65);
        MappedRamBitmap.Set(words, 191);

        Assert.Equal(new ulong[] { 1UL, 2UL, 1UL << 63 }, words);
        Assert.True(MappedRamBitmap.IsSet(words, 65));
        Assert.False(MappedRamBitmap.IsSet(words, 64));
        Assert.Equal(3, MappedRamBitmap.CountSet(words));
        Assert.Equal(2, MappedRamBitmap.CountSet(words, 191));
        Assert.Equal([(0L, 1L), (65L, 1L), (191L, 1L)], MappedRamBitmap.Runs(words, 192));
        Assert.Throws<ArgumentOutOfRangeException>(() => MappedRamBitmap.IsSet(words, 192));
    }

    [Fact]
    public void Runs_are_maximal_ordered_and_cover_exactly_the_set_bits()
    {
        Bitmaps.Sample(sample =>
        {
            var (words, bits) = sample;
            var runs = MappedRamBitmap.Runs(words, bits).ToList();
            var covered = new bool[bits];
            var previousEnd = -1L;
            foreach (var (start, count) in runs)
            {
                Assert.True(count > 0 && start > previousEnd, "runs are non-empty, ordered and separated");
                for (var i = start; i < start + count; i++) covered[i] = true;
                previousEnd = start + count;
            }
            for (var i = 0L; i < bits; i++) Assert.Equal(MappedRamBitmap.IsSet(words, i), covered[i]);
            Assert.Equal(runs.Sum(r => r.Count), MappedRamBitmap.CountSet(words, bits));
        });
    }
}
