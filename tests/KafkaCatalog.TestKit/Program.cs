// Entry point for humans: `dotnet run --project tests/KafkaCatalog.TestKit -- serve`.
// The serve command is added with the embedded cluster.
return KafkaCatalog.TestKit.Cli.Run(args);
