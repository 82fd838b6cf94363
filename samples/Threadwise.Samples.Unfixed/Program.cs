using Threadwise.Samples.Unfixed;

var elapsed = await AsyncWorkload.RunAsync(jobs: 3, latency: TimeSpan.FromMilliseconds(200), CancellationToken.None);
Console.WriteLine($"async (unfixed): 3 jobs of 200 ms took {elapsed.TotalMilliseconds:F0} ms");
