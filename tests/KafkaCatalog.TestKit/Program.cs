// Entry point for humans: `dotnet run --project tests/KafkaCatalog.TestKit -- serve [--brokers 3] [--port-base N] [--seed|--no-seed]`.
return KafkaCatalog.TestKit.Cli.Run(args);
