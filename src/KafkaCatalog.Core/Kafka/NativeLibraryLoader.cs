using System.Reflection;
using System.Runtime.InteropServices;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Makes Confluent.Kafka use the librdkafka that ships with the module (or the one named by
/// <c>KAFKACATALOG_LIBRDKAFKA_PATH</c>) instead of whatever the operating system has, and refuses
/// any other version than the one the module was built and tested with.
/// </summary>
/// <remarks>
/// Confluent.Kafka 2.x binds through three DllImport classes named <c>librdkafka</c>,
/// <c>centos8-librdkafka</c> and <c>alpine-librdkafka</c> (it tries the centos8 one first on
/// glibc Linux); the resolver answers every import of that assembly whose name contains
/// "rdkafka", so each of them lands on the same file. <c>Library.Load(path)</c> is not used: on
/// Linux it dlopens through "libdl", which modern glibc systems do not ship unversioned.
/// </remarks>
public static class NativeLibraryLoader
{
    public const string PathEnvironmentVariable = "KAFKACATALOG_LIBRDKAFKA_PATH";

    private static readonly object Gate = new();
    private static bool _loaded;
    private static KafkaCatalogException? _failure;
    private static string? _resolvedPath;
    private static bool _resolverInstalled;
    private static IReadOnlyList<string>? _candidates;

    /// <summary>The librdkafka version this build requires (Directory.Build.props LibrdkafkaVersion).</summary>
    public static string ExpectedVersion { get; } =
        typeof(NativeLibraryLoader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibrdkafkaVersion")?.Value ?? "unknown";

    /// <summary>The file librdkafka was loaded from, once <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? LoadedPath
    {
        get
        {
            lock (Gate)
            {
                return _loaded ? _resolvedPath : null;
            }
        }
    }

    /// <summary>The version string librdkafka reports, once loaded.</summary>
    public static string? LoadedVersion { get; private set; }

    /// <summary>
    /// Loads librdkafka once per process. Throws <see cref="KafkaCatalogException"/>
    /// (LibrdkafkaNotFound or LibrdkafkaVersionMismatch, <see cref="FailureKind.NotInstalled"/>)
    /// with the fix when the library is missing or of the wrong version; the same failure is
    /// reported on every later call, since a process cannot unload a native library.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            if (_failure is not null)
            {
                throw _failure;
            }

            try
            {
                LoadCore();
                _loaded = true;
            }
            catch (KafkaCatalogException ex)
            {
                _failure = ex;
                throw;
            }
        }
    }

    /// <summary>Where librdkafka is looked for, best first (only files that exist count).</summary>
    public static IReadOnlyList<string> CandidatePaths(string? environmentPath, string assemblyDirectory) =>
        CandidatePaths(environmentPath, assemblyDirectory, RuntimeIdentifier(), IsMusl());

    /// <summary>
    /// Where librdkafka is looked for on the given runtime, best first: the environment override, then
    /// each of <see cref="NativeFileNames"/> under runtimes/&lt;rid&gt;/native/ (the librdkafka.redist
    /// layout), then next to the assembly.
    /// </summary>
    public static IReadOnlyList<string> CandidatePaths(string? environmentPath, string assemblyDirectory, string runtimeIdentifier, bool musl)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(environmentPath))
        {
            candidates.Add(environmentPath);
        }

        var names = NativeFileNames(runtimeIdentifier, musl);
        candidates.AddRange(names.Select(name => Path.Combine(assemblyDirectory, "runtimes", runtimeIdentifier, "native", name)));
        candidates.AddRange(names.Select(name => Path.Combine(assemblyDirectory, name)));
        return candidates;
    }

    /// <summary>The portable runtime id used in the runtimes/ folder (linux-x64, osx-arm64, win-x64...).</summary>
    public static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }

    /// <summary>
    /// The file names librdkafka.redist uses for a runtime, best first. On glibc x64 its
    /// centos8-librdkafka.so is linked statically against everything but libc, while its plain
    /// librdkafka.so needs libsasl2.so.3 (which Debian 12 lacks), so the plain name only counts
    /// when nothing better is there (a librdkafka built from source is shipped under that name).
    /// </summary>
    public static IReadOnlyList<string> NativeFileNames(string runtimeIdentifier, bool musl)
    {
        if (runtimeIdentifier.StartsWith("win-", StringComparison.Ordinal))
        {
            return ["librdkafka.dll"];
        }

        if (runtimeIdentifier.StartsWith("osx-", StringComparison.Ordinal))
        {
            return ["librdkafka.dylib"];
        }

        if (musl)
        {
            return ["alpine-librdkafka.so", "librdkafka.so"];
        }

        return runtimeIdentifier == "linux-x64" ? ["centos8-librdkafka.so", "librdkafka.so"] : ["librdkafka.so"];
    }

    /// <summary>True on a musl libc Linux (Alpine), where librdkafka.redist ships alpine-librdkafka.so.</summary>
    public static bool IsMusl() =>
        OperatingSystem.IsLinux() &&
        (RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase) ||
         Directory.EnumerateFiles("/lib", "ld-musl-*.so.1").Any());

    /// <summary>True for every DllImport name Confluent.Kafka uses for librdkafka.</summary>
    public static bool IsLibrdkafkaImport(string libraryName) =>
        libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a reported version against <see cref="ExpectedVersion"/>.</summary>
    public static void CheckVersion(string? actualVersion, string? path)
    {
        if (!string.Equals(actualVersion, ExpectedVersion, StringComparison.Ordinal))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.LibrdkafkaVersionMismatch,
                $"KafkaCatalog needs librdkafka {ExpectedVersion} but found {actualVersion ?? "an unknown version"} at {path ?? "the system library path"}. " +
                FixHint);
        }
    }

    private const string FixHint =
        "Reinstall the module (its dependencies/runtimes folder carries librdkafka for Windows x64, Linux x64/arm64 and macOS x64/arm64), " +
        "or set " + PathEnvironmentVariable + " to a librdkafka of the right version (for Kerberos: bash .ci/build-librdkafka.sh, then build with -p:LibrdkafkaFromSource=true).";

    /// <summary>
    /// Points Confluent.Kafka's librdkafka imports at the module's file without loading anything.
    /// Runs when Core is first touched (module initializer), because any Confluent.Kafka call
    /// that reaches native code (even an error's text) loads librdkafka on the spot, and the
    /// resolver must be in place before that.
    /// </summary>
    public static void InstallResolver()
    {
        lock (Gate)
        {
            if (_resolverInstalled)
            {
                return;
            }

            _resolverInstalled = true;
            var assemblyDirectory = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location) ?? AppContext.BaseDirectory;
            _candidates = CandidatePaths(Environment.GetEnvironmentVariable(PathEnvironmentVariable), assemblyDirectory);
            _resolvedPath = _candidates.FirstOrDefault(File.Exists);
            if (_resolvedPath is null)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already installed for Confluent.Kafka (a host or a test did it);
                // EnsureLoaded's version check still decides whether what it loads is acceptable.
            }
        }
    }

#pragma warning disable CA2255 // A library module initializer on purpose: see InstallResolver.
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void InstallResolverOnLoad() => InstallResolver();
#pragma warning restore CA2255

    private static void LoadCore()
    {
        InstallResolver();
        var environmentPath = Environment.GetEnvironmentVariable(PathEnvironmentVariable);
        var candidates = _candidates ?? Array.Empty<string>();
        if (!string.IsNullOrWhiteSpace(environmentPath) && !File.Exists(environmentPath))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.LibrdkafkaNotFound,
                $"{PathEnvironmentVariable} is set to '{environmentPath}', but no such file exists. Point it at librdkafka {ExpectedVersion} or unset it to use the module's own copy.");
        }

        string? version;
        try
        {
            version = Confluent.Kafka.Library.VersionString;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.LibrdkafkaNotFound,
                $"librdkafka {ExpectedVersion} could not be loaded; looked in: {string.Join(", ", candidates)}. {FixHint}",
                innerException: ex);
        }

        CheckVersion(version, _resolvedPath);
        LoadedVersion = version;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var path = _resolvedPath;
        if (path is null || !IsLibrdkafkaImport(libraryName))
        {
            return IntPtr.Zero;
        }

        return NativeLibrary.Load(path);
    }
}
