// Benchmarks: `dotnet run -c Release --project tests/KafkaCatalog.Benchmarks -- <name> [options]`.
// Each area registers its benchmarks in BenchmarkRegistry; results are printed, never asserted on time.
using KafkaCatalog.Benchmarks;

return await BenchmarkRegistry.RunAsync(args);
