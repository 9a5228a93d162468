using CsCheck;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Save;
using SyncModel.Implementation.Send;
using SyncModel.Model.PageFacts;
using SyncModel.Protocol.Config;
using Xunit.Abstractions;

namespace SyncModel.Properties.Conformance;

/// <summary>
/// CsCheck's <c>Check.ConformExhaustive</c> against the model's page facts (<see cref="PageFactsSpec"/>): the parts
/// of the Implementation that run one step at a time — the guest's writes and the dirty log, the migration bitmap
/// and its scan (cursor, wrap), the send channel's zero check, file-bitmap bit and slot write — are driven down
/// every transition of the spec's reachable space and compared with the model state after each step. Where the
/// protocol's threads interleave, the trace validator is the tool (<see cref="RealThreadConformanceTests"/>).
/// </summary>
public sealed class PageFactsConformanceTests(ITestOutputHelper output)
{
    private const int Pages = 3;
    private const int PageSize = 4096;

    /// <summary>One RAM block of real Implementation parts, driven from a spec transition.</summary>
    private sealed class PagePath
    {
        private readonly RamBlock _block;
        private readonly RamScanner _scanner;
        private readonly MemoryMigrationFile _file = new();
        private readonly MappedRamPages _shared;
        private readonly MappedRamSink _sink;
        private readonly PageBatch _batch = new(1);
        private readonly PageWriteArg[] _writes;
        private readonly byte[] _slot = new byte[PageSize];
        private int _version;
        private bool _wrapped;

        public PagePath(Mutation mutations)
        {
            var ram = new GuestRam([new RamBlockSpec("pc.ram", Pages * PageSize)], PageSize);
            _block = ram.Blocks[0];
            _scanner = new RamScanner(ram);
            _scanner.MarkAllDirty();
            _shared = new MappedRamPages(ram, _file, [new MappedRamPlacement(BitmapOffset: 0, PagesOffset: 1 << 20)], mutations);
            _sink = new MappedRamSink(_shared);
            _writes = PageFactsSpec.Writes(Pages);
        }

        public string? Apply(Transition<PageFactsState> t)
        {
            _wrapped = false;
            switch (t.Action)
            {
                case PageFactsSpec.GuestWrite:
                    var w = _writes[t.ArgIndex];
                    (w.Data ? PageFill.Data(7) : PageFill.Zeros).Apply(_block.PageSpan(w.Page), 0, w.Page, ++_version);
                    _block.MarkDirty(w.Page);
                    break;
                case PageFactsSpec.BitmapSync:
                    _scanner.SyncDirtyLog();
                    break;
                case PageFactsSpec.Scan:
                    if (_scanner.FindDirty(() => _wrapped = true) is { } found)
                    {
                        _batch.Add(found.Block, found.Page);
                        _sink.Prepare(_batch);
                        _sink.Write(_batch, sync: false);
                        _batch.Reset();
                    }
                    break;
                default:
                    return $"unknown action {t.Action}";
            }
            var seen = Observe();
            return seen == t.After ? null : $"the Implementation is at {seen}";
        }

        private PageFactsState Observe()
        {
            int data = 0, dirty = 0, toSend = 0, fileBit = 0, slot = 0;
            for (var p = 0; p < Pages; p++)
            {
                var bit = 1 << p;
                var isData = !_block.IsZeroPage(p);
                if (isData) data |= bit;
                if (_block.IsLogged(p)) dirty |= bit;
                if (_scanner.IsToSend(0, p)) toSend |= bit;
                if (_shared.FileBitmap.IsSet(0, p)) fileBit |= bit;
                _file.Read(_slot, (1 << 20) + (long)p * PageSize);
                if (isData && _slot.AsSpan().SequenceEqual(_block.PageSpan(p))) slot |= bit;
            }
            return new PageFactsState((byte)data, (byte)dirty, (byte)toSend, (byte)fileBit, (byte)slot, (byte)_scanner.Cursor.Page, _wrapped);
        }
    }

    [Fact]
    public void The_dirty_log_scanner_and_mapped_ram_sink_take_every_transition_of_the_page_facts()
    {
        Check.ConformExhaustive(PageFactsSpec.Create(Pages), () => new PagePath(Mutation.None), (impl, t) => impl.Apply(t), output.WriteLine, threads: 1);
    }

    [Fact]
    public void A_sink_that_keeps_a_zero_pages_bit_diverges_on_a_shortest_path()
    {
        // docs/protocol.md §5.6 (8fa1a21c): a page sent with data, then written zero and sent again, keeps bit 1.
        var e = Assert.ThrowsAny<Exception>(() =>
            Check.ConformExhaustive(PageFactsSpec.Create(Pages), () => new PagePath(Mutation.ZeroPageBitNotCleared), (impl, t) => impl.Apply(t), output.WriteLine, threads: 1));
        output.WriteLine(e.Message);
        Assert.Contains("filebit=", e.Message, StringComparison.Ordinal);
        Assert.Contains(PageFactsSpec.Scan, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoStalePage_catches_the_zero_page_fault_in_the_page_facts()
    {
        var report = PageFactsSpec.Create(Pages).Faults(output.WriteLine, threads: 1, throwOnUncaught: false);
        var row = Assert.Single(report.Results, r => r.Fault == PageFactsSpec.ZeroPageBitNotCleared);
        Assert.Equal(FaultOutcome.Caught, row.Outcome);
        Assert.Equal(nameof(SyncModel.Protocol.Events.PropertyId.NoStalePage), row.CaughtBy);
    }
}
