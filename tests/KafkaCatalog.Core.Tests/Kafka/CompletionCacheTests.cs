using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class CompletionCacheTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Names_are_cached_until_they_expire()
    {
        var time = new ManualTime();
        var cache = new CompletionCache(TimeSpan.FromSeconds(60), time);
        var fetches = 0;
        Task<IReadOnlyList<string>> Fetch(CancellationToken _)
        {
            fetches++;
            return Task.FromResult<IReadOnlyList<string>>(new[] { "a" + fetches });
        }

        Assert.Equal(new[] { "a1" }, cache.GetOrFetch("k", Fetch, TimeSpan.FromSeconds(5)));
        time.Now = time.Now.AddSeconds(59);
        Assert.Equal(new[] { "a1" }, cache.GetOrFetch("k", Fetch, TimeSpan.FromSeconds(5)));
        time.Now = time.Now.AddSeconds(2);
        Assert.Equal(new[] { "a2" }, cache.GetOrFetch("k", Fetch, TimeSpan.FromSeconds(5)));
        Assert.Equal(2, fetches);
    }

    [Fact]
    public void Keys_are_separate()
    {
        var cache = new CompletionCache();
        Assert.Equal(new[] { "x" }, cache.GetOrFetch("one", _ => Task.FromResult<IReadOnlyList<string>>(new[] { "x" }), TimeSpan.FromSeconds(5)));
        Assert.Equal(new[] { "y" }, cache.GetOrFetch("two", _ => Task.FromResult<IReadOnlyList<string>>(new[] { "y" }), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_slow_cluster_gives_nothing_now_and_the_names_on_the_next_tab()
    {
        var cache = new CompletionCache();
        var release = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.Empty(cache.GetOrFetch("k", _ => release.Task, TimeSpan.FromMilliseconds(1)));

        release.SetResult(new[] { "late" });
        await release.Task;
        Assert.Equal(new[] { "late" }, cache.GetOrFetch("k", _ => throw new InvalidOperationException("must not refetch"), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_failing_fetch_gives_no_names_and_no_exception() =>
        Assert.Empty(new CompletionCache().GetOrFetch("k", _ => Task.FromException<IReadOnlyList<string>>(new InvalidOperationException("down")), TimeSpan.FromSeconds(5)));

    [Fact]
    public void A_failing_fetch_after_a_good_one_gives_the_names_already_seen()
    {
        var time = new ManualTime();
        var cache = new CompletionCache(TimeSpan.FromSeconds(60), time);
        Assert.Equal(new[] { "seen" }, cache.GetOrFetch("k", _ => Task.FromResult<IReadOnlyList<string>>(new[] { "seen" }), TimeSpan.FromSeconds(5)));
        time.Now = time.Now.AddMinutes(5);

        Assert.Equal(new[] { "seen" }, cache.GetOrFetch("k", _ => Task.FromException<IReadOnlyList<string>>(new InvalidOperationException("broker down")), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_fetch_that_blocks_before_its_first_await_does_not_hold_the_prompt()
    {
        var cache = new CompletionCache();
        using var gate = new ManualResetEventSlim();

        // A fetch that blocks its caller's thread (as building a native client can): the lookup still returns after its wait.
        var names = cache.GetOrFetch("k", _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return Task.FromResult<IReadOnlyList<string>>(new[] { "late" });
        }, TimeSpan.FromMilliseconds(50));
        gate.Set();

        Assert.Empty(names);
    }

    [Theory]
    [InlineData("", new[] { "Orders", "orders-eu", "payments" })]
    [InlineData("ord", new[] { "Orders", "orders-eu" })]
    [InlineData("'ord", new[] { "Orders", "orders-eu" })]
    [InlineData("*eu", new[] { "orders-eu" })]
    [InlineData("zzz", new string[0])]
    public void Filter_completes_prefixes_and_wildcards(string word, string[] expected) =>
        Assert.Equal(expected, CompletionCache.Filter(["payments", "orders-eu", "Orders"], word));
}
