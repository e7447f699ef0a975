namespace KafkaCatalog.TestKit;

public static class Cli
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("usage: KafkaCatalog.TestKit serve [options]");
        return args.Length == 0 ? 2 : 2;
    }
}
