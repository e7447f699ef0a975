namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// Kept for tests written before Core's loader landed (TestKit2 uses it): forwards to
/// <see cref="KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded"/>. New tests call Core directly.
/// </summary>
internal static class TestKitNativeLibrdkafka
{
    public static void EnsureLoaded() => KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
}
