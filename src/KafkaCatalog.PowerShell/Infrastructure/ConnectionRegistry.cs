using System.Collections.Concurrent;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Named connections of one kind (Kafka, catalog, Polaris) and which one is the default: part of
/// a runspace's <see cref="ModuleSession"/>, never shared between runspaces.
/// </summary>
public sealed class ConnectionRegistry<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private string? _defaultName;

    public T? Default
    {
        get
        {
            lock (_gate)
            {
                return _defaultName is not null && _connections.TryGetValue(_defaultName, out var c) ? c : null;
            }
        }
    }

    public IReadOnlyCollection<T> All => _connections.Values.ToArray();

    public IEnumerable<string> Names => _connections.Keys.OrderBy(n => n, StringComparer.OrdinalIgnoreCase);

    public void Add(string name, T connection, bool makeDefault)
    {
        lock (_gate)
        {
            _connections[name] = connection;
            if (makeDefault || _defaultName is null)
            {
                _defaultName = name;
            }
        }
    }

    public bool IsDefault(string name)
    {
        lock (_gate)
        {
            return string.Equals(_defaultName, name, StringComparison.OrdinalIgnoreCase);
        }
    }

    public T? Get(string name) => _connections.TryGetValue(name, out var c) ? c : null;

    public bool Remove(string name)
    {
        lock (_gate)
        {
            var removed = _connections.TryRemove(name, out _);
            if (removed && string.Equals(_defaultName, name, StringComparison.OrdinalIgnoreCase))
            {
                _defaultName = _connections.Keys.FirstOrDefault();
            }

            return removed;
        }
    }
}
