import Foundation
import Testing

/// With a terminal (`docker run -t`): the command, or the main service, gets the terminal's foreground; the
/// other services read /dev/null. `script` (util-linux) provides the pseudo-terminal.
@Suite struct InitTerminalTests {
  private func inTerminal(_ command: String) throws -> [String] {
    _ = try InitHarness.initPath()
    guard let script = InitHarness.executable(named: "script") else {
      print("◇ skipping: script (util-linux) is needed for a pseudo-terminal")
      try Test.cancel("script is not installed")
    }
    let result = InitHarness.runToEnd([script, "-qec", command, "/dev/null"])
    #expect(result.status == 0, "\(result.output)")
    return result.output.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
  }

  /// `pgrp tpgid` of the process that runs it: equal when its group is the terminal's foreground group.
  private let foreground = #"cut -d' ' -f5,8 /proc/self/stat"#

  @Test func theCommandGetsTheForeground() throws {
    let initPath = try InitHarness.initPath()
    let lines = try inTerminal("\(initPath) -- sh -c \"\(foreground)\"")
    let fields = lines.last?.split(separator: " ") ?? []
    #expect(fields.count == 2 && fields[0] == fields[1], "pgrp and the terminal's foreground group: \(lines)")
  }

  @Test func theMainServiceKeepsTheTerminalAndTheOthersReadDevNull() throws {
    let initPath = try InitHarness.initPath()
    let directory = InitHarness.scratch()
    InitRun.file(
      in: directory, "Procfile",
      """
      # dockadvise-init: web main
      web: echo "web $(readlink /proc/self/fd/0) $(\(foreground))"; sleep 0.5
      worker: echo "worker $(readlink /proc/self/fd/0)"; exec sleep 5

      """)
    // Two services: the lines are prefixed (`web    | …`); the terminal stays on stdin.
    let lines = try inTerminal("\(initPath) --procfile \(directory)/Procfile").map { line in
      line.range(of: " | ").map { String(line[$0.upperBound...]) } ?? line
    }
    let web = lines.first { $0.hasPrefix("web ") }?.split(separator: " ") ?? []
    #expect(web.count == 4 && web[1].hasPrefix("/dev/pts/") && web[2] == web[3], "\(lines)")
    #expect(lines.contains("worker /dev/null"), "\(lines)")
  }
}
