using KafkaCatalog.HelpGenerator;

// Usage (build.ps1 Docs runs the first form):
//   dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator -- [<repo root>] [--docs <dir>] [--out <file>] [--check]
// Defaults: <repo root> = the folder holding KafkaCatalog.sln above the current directory;
// <repo root>/docs and <repo root>/module/en-US/KafkaCatalog.PowerShell.dll-Help.xml.
// PowerShell looks binary-cmdlet help up as <cmdlet assembly file name>-Help.xml next to the
// assembly (en-US/ for the en-US culture), hence KafkaCatalog.PowerShell.dll-Help.xml.
// --check writes nothing and exits 1 when the file differs from what docs/ would produce.
return GeneratorCommand.Run(args, Directory.GetCurrentDirectory(), Console.Out, Console.Error);
