using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// Test-side stand-in for KafkaCatalog.Core.Kafka.NativeLibraryLoader (delete once that is on
/// main): maps Confluent.Kafka's DllImports of librdkafka to the build copied next to the tests.
/// </summary>
internal static class TestKitNativeLibrdkafka
{
    private static readonly object Sync = new();
    private static bool _done;

    public static void EnsureLoaded()
    {
        lock (Sync)
        {
            if (_done) return;
            var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "librdkafka.so");
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, (name, asm, search) =>
                    name.Contains("rdkafka", StringComparison.OrdinalIgnoreCase) && File.Exists(path)
                        ? NativeLibrary.Load(path)
                        : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                // A resolver was already set (e.g. by Core's loader); it serves the same file.
            }
            _done = true;
        }
    }
}
