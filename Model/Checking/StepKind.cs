namespace SyncModel.Model.Checking;

/// <summary>The machine's steps by kind.</summary>
internal enum StepKind
{
    Dispatch, SyncRequest, SyncWait, SyncDone, BitmapSync, FileBitmapWrite, Terminate, SourceJoin, ChannelCreate, ChannelsCreated,
    Connect, ConnectFail, Open, OpenFail, SyncFail,
    WriteBegin, WriteEnd, WriteFail, SyncAck, SendExit, GuestWrite,
    RecvQueue, QueueFail, RecvKick, RecvWait, OneShotKick, OneShotWait, LoadCleanup, Shutdown, VmStart, DestJoin,
    ReadBegin, ReadEnd, ReadFail, SyncPost, RecvExit,
    SeeFlag, RecvWake, MainFail, SendWake,
}
