import MultiProcAdvisor
import Testing

/// `InitRelease`: the checksums `fix --init-source release` pins the published init to.
@Suite struct InitReleaseTests {
  static let a = String(repeating: "a", count: 64)
  static let b = String(repeating: "B", count: 64)

  @Test func readsTheInitLinesOfASha256sumFile() throws {
    let text = "# comment\n\n\(Self.a)  dockadvise-linux-x86_64\n\(Self.a)  dockadvise-init-x86_64\n\(Self.b) *dockadvise-init-aarch64"
    let release = try InitRelease.parse(checksumsFile: text, path: "SUMS", version: "1.2.3").get()
    #expect(release.checksums == ["x86_64": Self.a, "aarch64": Self.b.lowercased()])
    #expect(release.url(arch: "aarch64") == "https://github.com/dockadvise/dockadvise/releases/download/v1.2.3/dockadvise-init-aarch64")
  }

  @Test func problemsNameTheLine() {
    let cases: [(String, String)] = [
      ("\(Self.a)\n", "SUMS:1: expected 'SHA256  NAME' (sha256sum format)"),
      ("\n\(Self.a.dropLast())  dockadvise-init-x86_64\n", "SUMS:2: '\(Self.a.dropLast())' is not a SHA-256 (64 hex digits)"),
      ("\(Self.a)  dockadvise-init-x86_64\n\(Self.b)  dockadvise-init-x86_64\n", "SUMS:2: a second, different checksum for dockadvise-init-x86_64"),
      ("\(Self.a)  dockadvise-init-x86_64\n", "SUMS has no checksum for dockadvise-init-aarch64; the image could not be built for every architecture"),
      ("", "SUMS has no checksum for dockadvise-init-x86_64 and dockadvise-init-aarch64; the image could not be built for every architecture"),
    ]
    for (text, message) in cases {
      #expect(throws: InitReleaseProblem(message)) { try InitRelease.parse(checksumsFile: text, path: "SUMS", version: "1.2.3").get() }
    }
  }
}
