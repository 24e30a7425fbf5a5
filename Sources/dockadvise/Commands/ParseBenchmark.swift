import DockerfileParser
import Foundation

/// `dockadvise parse --bench FILE...` (hidden): reads every file first, then parses each once and
/// reports the parse throughput measured in CPU time of the parsing thread, so neither process start,
/// file reading nor other load on the machine counts.
enum ParseBenchmark {
  static func run(_ paths: [String], passes: Int = 5, io: CommandIO) -> ExitCode {
    var sources: [SourceFile] = []
    sources.reserveCapacity(paths.count)
    for path in paths {
      guard case .success(let source) = FileInput.read(path, io: io) else {
        io.stderr.write("\(path):1:1: error: cannot read file\n")
        return .failure
      }
      sources.append(source)
    }
    let bytes = sources.reduce(0) { $0 + $1.bytes.count }
    var instructions = 0
    // Several passes; the fastest one is reported (the others measure the machine's other load).
    var times: [Double] = []
    for _ in 0..<passes {
      instructions = 0
      let start = threadCPUTime()
      for source in sources {
        // SourceFile's line table is part of what a parse costs: rebuild it inside the timed loop.
        let file = Dockerfile.parse(SourceFile(path: source.path, bytes: source.bytes))
        instructions += file.instructions.count
      }
      times.append(max(threadCPUTime() - start, 1e-9))
    }
    let seconds = times.min() ?? 1e-9
    let median = times.sorted()[times.count / 2]
    let megabytes = Double(bytes) / 1_048_576
    io.stdout.write(
      String(
        format: "files=%d bytes=%d instructions=%d passes=%d best_cpu_seconds=%.4f MB/s=%.1f files/s=%.0f median_MB/s=%.1f\n",
        sources.count, bytes, instructions, passes, seconds, megabytes / seconds, Double(sources.count) / seconds,
        megabytes / median))
    return .success
  }

  static func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
