namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// Checks one state's stubborn set against the transition system itself, one step deep: whenever a pruned enabled group
/// and then an explored one can run, the other order can too and ends in the same canonical state (D1); no pruned group
/// enables a disabled member of the set (D2); some explored non-environment group stays enabled whatever single pruned
/// group runs first (the key transition). A wrong answer of the oracle usually shows here on a small configuration
/// before it changes a verdict. Throws <see cref="InvalidOperationException"/> naming the groups.
/// </summary>
internal static class PartialOrderAudit<TState, TModel>
    where TState : struct
    where TModel : ISearchModel<TState>
{
    public static void Check(TModel m, in TState s, in GroupSet enabled, in GroupSet stubborn)
    {
        for (var g = 0; g < m.GroupCount; g++)
        {
            if (m.Enabled(s, g) != enabled.Contains(g)) throw new InvalidOperationException($"partial-order audit: the model's enabled set is wrong about {Name(m, g)}");
        }
        var pruned = enabled;
        pruned.ExceptWith(stubborn);
        if (pruned.IsEmpty) return;
        var kept = enabled;
        kept.IntersectWith(stubborn);
        var disabledMembers = stubborn;
        disabledMembers.ExceptWith(enabled);
        var key = false;
        for (var a = kept.Next(0); a >= 0; a = kept.Next(a + 1))
        {
            if (m.IsEnvironment(a)) continue;
            var stays = true;
            for (var b = pruned.Next(0); b >= 0 && stays; b = pruned.Next(b + 1)) stays = m.Enabled(m.Reduce(m.Apply(s, b)), a);
            key |= stays;
        }
        if (!key && kept.CountAnd(NonEnvironment(m)) > 0) throw new InvalidOperationException("partial-order audit: no explored step stays enabled whatever is pruned (no key transition)");
        for (var b = pruned.Next(0); b >= 0; b = pruned.Next(b + 1))
        {
            var sb = m.Reduce(m.Apply(s, b));
            for (var g = disabledMembers.Next(0); g >= 0; g = disabledMembers.Next(g + 1))
            {
                if (m.Enabled(sb, g)) Fail(m, "pruned", b, "enables the disabled stubborn", g);
            }
            for (var a = kept.Next(0); a >= 0; a = kept.Next(a + 1))
            {
                // D1 for one step: whenever b then a is possible, a then b is too and ends in the same state. (b may
                // disable a for good, as the guest's write count does between bitmap syncs: then nothing is owed.)
                if (!m.Enabled(sb, a)) continue;
                var sa = m.Reduce(m.Apply(s, a));
                if (!m.Enabled(sa, b)) Fail(m, "explored", a, "disables the pruned", b);
                var ab = m.Canonical(m.Apply(sa, b));
                var ba = m.Canonical(m.Apply(sb, a));
                if (!Same(m, ab, ba)) Fail(m, "explored", a, "does not commute with the pruned", b);
            }
        }
    }

    private static GroupSet NonEnvironment(TModel m)
    {
        var set = default(GroupSet);
        for (var g = 0; g < m.GroupCount; g++)
        {
            if (!m.IsEnvironment(g)) set.Add(g);
        }
        return set;
    }

    private static bool Same(TModel m, in TState x, in TState y)
    {
        Span<ulong> px = stackalloc ulong[m.Words];
        Span<ulong> py = stackalloc ulong[m.Words];
        m.Pack(x, px);
        m.Pack(y, py);
        return px.SequenceEqual(py);
    }

    private static void Fail(TModel m, string role, int g, string what, int h) =>
        throw new InvalidOperationException($"partial-order audit: the {role} {Name(m, g)} {what} {Name(m, h)}");

    private static string Name(TModel m, int g) => $"{m.ActionName(m.ActionOf(g))}[group {g}]";
}
