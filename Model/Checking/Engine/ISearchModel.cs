namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// What the exhaustive engine needs from a transition system, and nothing about what the system means: a state packs
/// into <see cref="Words"/> 64-bit words, every step is one of <see cref="GroupCount"/> transition groups (an action with
/// one argument), a canonical form merges states the system declares equivalent (symmetry, dead values), and properties
/// are predicates on a state or on a step about to be taken. The engine never looks inside a state.
/// </summary>
internal interface ISearchModel<TState> where TState : struct
{
    /// <summary>64-bit words per packed state.</summary>
    int Words { get; }

    /// <summary>Transition groups; a group is one action with one argument value.</summary>
    int GroupCount { get; }

    /// <summary>The named properties, in the order they are checked.</summary>
    IReadOnlyList<string> Properties { get; }

    /// <summary>Named parts of a state, for the profile (distinct values met per part).</summary>
    IReadOnlyList<string> Components { get; }

    /// <summary>The initial state, canonical.</summary>
    TState Initial { get; }

    void Pack(in TState s, Span<ulong> packed);

    TState Unpack(ReadOnlySpan<ulong> packed);

    bool Enabled(in TState s, int group);

    /// <summary>Adds every enabled group of <paramref name="s"/> to <paramref name="enabled"/>; a model may skip groups
    /// it knows are disabled there.</summary>
    void EnabledGroups(in TState s, ref GroupSet enabled);

    /// <summary>The successor through an enabled group, not canonical.</summary>
    TState Apply(in TState s, int group);

    /// <summary>The representative of <paramref name="s"/>'s class.</summary>
    TState Canonical(in TState s);

    /// <summary>The part of <see cref="Canonical"/> that keeps every group's argument meaning the same thing (no
    /// reordering of threads): what the partial-order audit applies between two steps.</summary>
    TState Reduce(in TState s);

    /// <summary>Whether the group belongs to the environment (a step that is no progress: a state where only such steps
    /// are enabled is stuck).</summary>
    bool IsEnvironment(int group);

    /// <summary>The first state property <paramref name="s"/> violates, or -1.</summary>
    int ViolatedInvariant(in TState s);

    /// <summary>The first step property violated by taking the enabled <paramref name="group"/> in <paramref name="s"/>, or -1.</summary>
    int ViolatedStep(in TState s, int group);

    /// <summary>The value of component <paramref name="component"/> of <paramref name="s"/>, for the profile.</summary>
    ulong Component(in TState s, int component);

    /// <summary>Actions (a group is one action with one argument).</summary>
    int ActionCount { get; }

    /// <summary>The action a group belongs to (groups of one action share a name in the profile).</summary>
    int ActionOf(int group);

    string ActionName(int action);
}
