using System.Buffers.Binary;
using System.IO.Compression;

namespace SyncModel.Properties.Support;

/// <summary>
/// Just enough of PNG to check a browser screenshot: 8-bit RGB or RGBA, not interlaced (what Chromium writes). Decodes the
/// pixels so a test can see more than one colour, and the colours it expects.
/// </summary>
public sealed class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private Png(int width, int height, int[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row by row, each 0xRRGGBB (alpha dropped).</summary>
    public int[] Pixels { get; }

    public static Png Decode(byte[] file)
    {
        if (file.Length < 33 || !file.AsSpan(0, 8).SequenceEqual(Signature)) throw new FormatException("not a PNG: bad signature");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at + 12 <= file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, colour, interlace) = (data[8], data[9], data[12]);
                if (depth != 8 || colour is not (2 or 6) || interlace != 0)
                    throw new FormatException($"PNG of bit depth {depth}, colour type {colour}, interlace {interlace}: only 8-bit RGB(A), not interlaced");
                channels = colour == 6 ? 4 : 3;
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        if (width <= 0 || height <= 0) throw new FormatException("PNG without a header");
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        z.ReadExactly(raw);
        return new Png(width, height, Unfilter(raw, width, height, channels));
    }

    /// <summary>Undoes each row's filter (PNG spec §9) and packs the pixels.</summary>
    private static int[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var pixels = new int[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, row, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new FormatException($"PNG row {y}: unknown filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = row[x * channels] << 16 | row[x * channels + 1] << 8 | row[x * channels + 2];
            (previous, row) = (row, previous);
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>How many pixels are within <paramref name="tolerance"/> per channel of <paramref name="rgb"/> (0xRRGGBB).</summary>
    public int Count(int rgb, int tolerance = 2)
        => Pixels.Count(p => Math.Abs((p >> 16 & 255) - (rgb >> 16 & 255)) <= tolerance
            && Math.Abs((p >> 8 & 255) - (rgb >> 8 & 255)) <= tolerance
            && Math.Abs((p & 255) - (rgb & 255)) <= tolerance);
}
