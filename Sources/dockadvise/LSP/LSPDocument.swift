/// A text document the editor has open: its text is what the server lints, not the file on disk.
struct LSPDocument {
  var uri: String
  var path: String
  var languageID: String
  var version: Int?
  var bytes: [UInt8]

  /// Whether the server lints this document as a Dockerfile (by language or by name).
  var isDockerfile: Bool {
    let lowered = languageID.lowercased()
    if lowered == "dockerfile" || lowered == "containerfile" { return true }
    return InputDiscovery.isDockerfileName(Paths.basename(path))
  }
}
