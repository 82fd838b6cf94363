using System.Text;

namespace Threadwise.Bench;

/// <summary>
/// Writes a deterministic C# corpus that compiles against the BCL alone: services, repositories,
/// background workers, handlers and utilities, mostly ordinary code (most real code is not
/// concurrency code) with async/await, tasks, locks, threads, Parallel, collections and LINQ, and
/// about 2% of methods carrying a seeded defect of each Threadwise family.
/// </summary>
public static class CorpusGenerator
{
    private const int MethodsPerClass = 12;
    private const int ClassesPerFile = 4;

    /// <summary>Generates about <paramref name="lines"/> non-blank lines into <paramref name="directory"/>.</summary>
    public static (int Files, int Lines, int Defects) Generate(string directory, int lines, int seed = 20261126, int classesPerFile = ClassesPerFile)
    {
        Directory.CreateDirectory(directory);
        foreach (var old in Directory.GetFiles(directory, "*.cs"))
        {
            System.IO.File.Delete(old);
        }

        var random = new Random(seed);
        var written = 0;
        var files = 0;
        var defects = 0;
        while (written < lines)
        {
            var (text, defectCount) = SourceFile(files, random, classesPerFile);
            System.IO.File.WriteAllText(Path.Combine(directory, $"Module{files:D5}.cs"), text);
            written += text.Split('\n').Count(l => l.Trim().Length > 0);
            defects += defectCount;
            files++;
        }

        return (files, written, defects);
    }

    private static (string Text, int Defects) SourceFile(int index, Random random, int classesPerFile)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine("using System.Collections.Generic;");
        text.AppendLine("using System.Linq;");
        text.AppendLine("using System.Text;");
        text.AppendLine("using System.Threading;");
        text.AppendLine("using System.Threading.Tasks;");
        text.AppendLine();
        text.AppendLine($"namespace Corpus.Module{index:D4};");
        text.AppendLine();
        var defects = 0;
        string[] kinds = { "Service", "Repository", "Worker", "Handler", "Utility" };
        for (var c = 0; c < classesPerFile; c++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var name = $"{kind}{index:D4}x{c}";
            text.AppendLine($"public sealed class {name}");
            text.AppendLine("{");
            text.AppendLine("    private readonly object _gate = new();");
            text.AppendLine("    private readonly List<int> _items = new();");
            text.AppendLine("    private readonly Dictionary<string, int> _index = new();");
            text.AppendLine("    private int _count;");
            text.AppendLine("    private volatile bool _running = true;");
            text.AppendLine();
            for (var m = 0; m < MethodsPerClass; m++)
            {
                // About 2% of methods carry a defect of some family.
                if (random.Next(100) < 2)
                {
                    text.Append(Defects[random.Next(Defects.Length)](m));
                    defects++;
                }
                else
                {
                    text.Append(Ordinaries[random.Next(Ordinaries.Length)](m, random));
                }

                text.AppendLine();
            }

            text.AppendLine("    public void Stop() => _running = false;");
            text.AppendLine("}");
            text.AppendLine();
        }

        return (text.ToString(), defects);
    }

    private static readonly Func<int, Random, string>[] Ordinaries =
    {
        (m, r) => $$"""
                public int Compute{{m}}(int a, int b)
                {
                    var sum = 0;
                    for (var i = 0; i < a; i++)
                    {
                        sum += (i * b) % {{r.Next(3, 17)}};
                    }

                    return sum;
                }

            """,
        (m, r) => $$"""
                public string Format{{m}}(string name, int count)
                {
                    var builder = new StringBuilder();
                    builder.Append(name.Trim()).Append(':').Append(count);
                    return builder.ToString().ToUpperInvariant();
                }

            """,
        (m, r) => $$"""
                public List<int> Filter{{m}}(IEnumerable<int> values)
                    => values.Where(v => v % {{r.Next(2, 9)}} == 0).Select(v => v * 2).OrderBy(v => v).ToList();

            """,
        (m, r) => $$"""
                public async Task<int> Load{{m}}Async(int id, CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    var data = await Task.FromResult(id * {{r.Next(2, 9)}});
                    return data + 1;
                }

            """,
        (m, r) => $$"""
                public void Add{{m}}(int value)
                {
                    lock (_gate)
                    {
                        _items.Add(value);
                        _count++;
                    }
                }

            """,
        (m, r) => $$"""
                public long Sum{{m}}(int[] data)
                {
                    long total = 0;
                    Parallel.For(0, data.Length, i => Interlocked.Add(ref total, data[i]));
                    return total;
                }

            """,
        (m, r) => $$"""
                public async Task<int[]> Gather{{m}}Async(IEnumerable<int> ids, CancellationToken cancellationToken)
                {
                    var tasks = ids.Select(id => Load{{m}}HelperAsync(id, cancellationToken)).ToList();
                    return await Task.WhenAll(tasks);
                }

                private static async Task<int> Load{{m}}HelperAsync(int id, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return id;
                }

            """,
        (m, r) => $$"""
                public bool TryGet{{m}}(string key, out int value)
                {
                    lock (_gate)
                    {
                        return _index.TryGetValue(key, out value);
                    }
                }

            """,
        (m, r) => $$"""
                public Dictionary<string, int> Group{{m}}(IEnumerable<string> words)
                    => words.GroupBy(w => w.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count());

            """,
        (m, r) => $$"""
                public void RunWorker{{m}}()
                {
                    var worker = new Thread(() => Compute{{m}}Inner({{r.Next(10, 99)}}));
                    worker.Start();
                    worker.Join();
                }

                private static int Compute{{m}}Inner(int n) => Enumerable.Range(0, n).Sum();

            """,
    };

    private static readonly Func<int, string>[] Defects =
    {
        m => $$"""
                public async Task Poll{{m}}Async()
                {
                    Thread.Sleep(10);
                    await Task.Yield();
                }

            """,
        m => $$"""
                public async Task<int> Read{{m}}Async(Task<int> pending)
                {
                    await Task.Yield();
                    return pending.Result;
                }

            """,
        m => $$"""
                public int Count{{m}}(int[] data)
                {
                    var hits = 0;
                    Parallel.For(0, data.Length, i => hits++);
                    return hits;
                }

            """,
        m => $$"""
                public void Touch{{m}}()
                {
                    lock (this)
                    {
                        _count++;
                    }
                }

            """,
        m => $$"""
                public Task Spin{{m}}()
                    => Task.Run(() => { while (_running) { _count = _count + 0; } });

            """,
        m => $$"""
                public void Fire{{m}}()
                {
                    var thread = new Thread(() => Console.WriteLine({{m}}));
                    thread.Start();
                }

            """,
        m => $$"""
                public void Forget{{m}}()
                {
                    Task.Delay({{m}});
                }

            """,
        m => $$"""
                public async void Handle{{m}}() => await Task.Yield();

            """,
    };
}
