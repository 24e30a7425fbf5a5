import Testing
@testable import dockadvise

@Suite struct CLITests {
  @Test func versionPrintsAndSucceeds() {
    let io = CommandIO.buffered()
    #expect(CLI.run(arguments: ["--version"], environment: [:], io: io) == .success)
    #expect(io.stdout.text == "dockadvise \(CLI.version)\n")
  }

  @Test func unknownCommandSuggestsAndFails() {
    let io = CommandIO.buffered()
    #expect(CLI.run(arguments: ["hepl"], environment: [:], io: io) == .failure)
    #expect(io.stderr.text.contains("did you mean 'help'"))
    #expect(io.stdout.text.isEmpty)
  }
}
