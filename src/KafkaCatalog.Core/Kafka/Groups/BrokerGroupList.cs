using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>One group of a <see cref="BrokerGroupList"/> answer: what the broker that coordinates it said.</summary>
internal sealed record BrokerGroup(string GroupId, string State, string ProtocolType, int BrokerId, ErrorCode Error);

/// <summary>A ListGroups round: the groups, and whether every broker answered (NoError) or not (Local_Partial).</summary>
internal sealed record BrokerGroupListResult(IReadOnlyList<BrokerGroup> Groups, ErrorCode Error);

/// <summary>
/// Lists the consumer groups of a cluster with librdkafka's <c>rd_kafka_list_groups</c>: one ListGroups
/// (and one DescribeGroups for the groups it named) to each known broker, on a private reply queue
/// the call waits on until its own deadline. It is NOT librdkafka's admin ListConsumerGroups: that one
/// fans out through the admin request state machine (enq-once objects re-armed by every broker state
/// change) and corrupts librdkafka's heap when a broker stops or restarts while it runs (measured with
/// the IntegrationTests chaos probe on 2.15.1 and 2.16.0: every run aborted within a few rounds; this
/// call: none). A late answer after the deadline finds the reply queue disabled and is dropped.
/// </summary>
/// <remarks>
/// Confluent.Kafka wraps the call (<c>IAdminClient.ListGroups</c>, obsolete) but throws on a partial
/// answer and drops what the live brokers said; so the native function is called here, on the admin
/// client's own librdkafka handle (the same library file Confluent.Kafka loaded, see
/// <see cref="NativeLibraryLoader.LoadedPath"/>), held by a reference so the client cannot be
/// destroyed under the call. Where that handle cannot be reached, Confluent.Kafka's wrapper is used.
/// </remarks>
internal static class BrokerGroupList
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate ErrorCode ListGroupsFunction(IntPtr rk, IntPtr group, out IntPtr groupList, int timeoutMs);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void GroupListDestroyFunction(IntPtr groupList);

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeMetadataBroker
    {
        public int Id;
        public IntPtr Host;
        public int Port;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeGroupInfo
    {
        public NativeMetadataBroker Broker;
        public IntPtr Group;
        public ErrorCode Error;
        public IntPtr State;
        public IntPtr ProtocolType;
        public IntPtr Protocol;
        public IntPtr Members;
        public int MemberCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeGroupList
    {
        public IntPtr Groups;
        public int GroupCount;
    }

    private static readonly Lazy<(ListGroupsFunction List, GroupListDestroyFunction Destroy)?> Native = new(BindNative, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly PropertyInfo? LibrdkafkaHandleProperty =
        typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary>True when the native function and the client's handle are reachable (else the wrapper is used).</summary>
    internal static bool UsesNativeCall => Native.Value is not null && LibrdkafkaHandleProperty is not null;

    /// <summary>
    /// Runs one round on a thread of its own (the native call blocks until every broker answered or
    /// <paramref name="timeout"/> passed). Cancellation abandons the wait, not the call, which ends by its
    /// deadline. Throws <see cref="KafkaException"/> when no group came back and the round failed.
    /// </summary>
    public static async Task<BrokerGroupListResult> ListAsync(IAdminClient admin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var call = Task.Factory.StartNew(() => List(admin, timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            // The native deadline is the timeout; the grace covers the thread start and the copy.
            return await call.WaitAsync(timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (ex is TimeoutException)
            {
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"No answer from the cluster within {timeout.TotalSeconds:0.#} s."));
            }

            throw;
        }
    }

    /// <summary>The blocking round (see <see cref="ListAsync"/>).</summary>
    public static BrokerGroupListResult List(IAdminClient admin, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var timeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var native = Native.Value;
        if (native is null || LibrdkafkaHandleProperty?.GetValue(admin.Handle) is not SafeHandle handle)
        {
            return ListThroughWrapper(admin, timeout);
        }

        var added = false;
        try
        {
            // The client cannot be destroyed (Dispose, Disconnect-KafkaCluster) while the call runs.
            handle.DangerousAddRef(ref added);
            var error = native.Value.List(handle.DangerousGetHandle(), IntPtr.Zero, out var list, timeoutMs);
            if (error is not (ErrorCode.NoError or ErrorCode.Local_Partial) || list == IntPtr.Zero)
            {
                throw new KafkaException(error == ErrorCode.NoError ? ErrorCode.Local_Fail : error);
            }

            try
            {
                return new BrokerGroupListResult(Read(list), error);
            }
            finally
            {
                native.Value.Destroy(list);
            }
        }
        catch (ObjectDisposedException)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Destroy, "The Kafka client was closed while listing consumer groups."));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static List<BrokerGroup> Read(IntPtr listPointer)
    {
        var list = Marshal.PtrToStructure<NativeGroupList>(listPointer);
        var size = Marshal.SizeOf<NativeGroupInfo>();
        var groups = new List<BrokerGroup>(list.GroupCount);
        for (var i = 0; i < list.GroupCount; i++)
        {
            var info = Marshal.PtrToStructure<NativeGroupInfo>(list.Groups + (i * size));
            var id = Marshal.PtrToStringUTF8(info.Group);
            if (id is null)
            {
                continue;
            }

            groups.Add(new BrokerGroup(id, Marshal.PtrToStringUTF8(info.State) ?? string.Empty, Marshal.PtrToStringUTF8(info.ProtocolType) ?? string.Empty, info.Broker.Id, info.Error));
        }

        return groups;
    }

#pragma warning disable CS0618 // The wrapper of the same native call; used only where the handle cannot be reached.
    private static BrokerGroupListResult ListThroughWrapper(IAdminClient admin, TimeSpan timeout) =>
        new(admin.ListGroups(timeout).Select(g => new BrokerGroup(g.Group, g.State ?? string.Empty, g.ProtocolType ?? string.Empty, g.Broker.BrokerId, g.Error.Code)).ToList(), ErrorCode.NoError);
#pragma warning restore CS0618

    private static (ListGroupsFunction, GroupListDestroyFunction)? BindNative()
    {
        // Only the very file Confluent.Kafka loaded through NativeLibraryLoader's resolver: a handle
        // of one librdkafka must never reach another copy of it.
        var path = NativeLibraryLoader.LoadedPath;
        if (path is null || !NativeLibrary.TryLoad(path, out var library))
        {
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "rd_kafka_list_groups", out var list)
            || !NativeLibrary.TryGetExport(library, "rd_kafka_group_list_destroy", out var destroy))
        {
            return null;
        }

        return (Marshal.GetDelegateForFunctionPointer<ListGroupsFunction>(list), Marshal.GetDelegateForFunctionPointer<GroupListDestroyFunction>(destroy));
    }
}
