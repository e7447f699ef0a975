// Loaded with Add-Type by build.ps1 and tests/Pester/TestHelpers.psm1: a TestKit sandbox child process
// whose output is drained on background threads (PowerShell script blocks cannot run there) and
// whose standard input is held by the parent, so the sandbox stops when the parent closes it or ends.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading;

namespace KafkaCatalogTestTools
{
    public sealed class SandboxProcess : IDisposable
    {
        private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();

        private SandboxProcess(Process process) => Process = process;

        public Process Process { get; }

        public string[] Lines => _lines.ToArray();

        public static SandboxProcess Start(string fileName, IEnumerable<string> arguments)
        {
            var psi = new ProcessStartInfo(fileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments)
            {
                psi.ArgumentList.Add(a);
            }

            var process = new Process { StartInfo = psi };
            var sandbox = new SandboxProcess(process);
            process.OutputDataReceived += (_, e) => { if (e.Data != null) sandbox._lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) sandbox._lines.Enqueue(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return sandbox;
        }

        /// <summary>The first line from index <paramref name="from"/> on that matches, or null when the time is up or the process ended.</summary>
        public string WaitForLine(string pattern, int from, TimeSpan timeout)
        {
            var regex = new Regex(pattern);
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var lines = _lines.ToArray();
                for (var i = from; i < lines.Length; i++)
                {
                    if (regex.IsMatch(lines[i])) return lines[i];
                }

                if (DateTime.UtcNow >= deadline || Process.HasExited) return null;
                Thread.Sleep(50);
            }
        }

        /// <summary>The key=value settings the sandbox printed.</summary>
        public Dictionary<string, string> Settings()
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in _lines.ToArray())
            {
                var m = Regex.Match(line, "^([a-z_.]+)=(.+)$");
                if (m.Success && !values.ContainsKey(m.Groups[1].Value)) values[m.Groups[1].Value] = m.Groups[2].Value;
            }

            return values;
        }

        /// <summary>Writes one command line and returns the sandbox's "ok ..." or "error ..." answer to it.</summary>
        public string Send(string command, TimeSpan timeout)
        {
            var from = _lines.Count;
            Process.StandardInput.WriteLine(command);
            Process.StandardInput.Flush();
            return WaitForLine("^(ok|error) ", from, timeout) ?? throw new TimeoutException($"The sandbox did not answer '{command}' within {timeout.TotalSeconds} s.");
        }

        /// <summary>End of input stops the sandbox; killed if it has not stopped within the timeout.</summary>
        public void Stop(TimeSpan timeout)
        {
            if (!Process.HasExited)
            {
                try { Process.StandardInput.Close(); } catch (Exception) { }
                if (!Process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    Process.Kill(entireProcessTree: true);
                    Process.WaitForExit(5000);
                }
            }
        }

        public void Dispose()
        {
            Stop(TimeSpan.FromSeconds(15));
            Process.Dispose();
        }
    }
}
