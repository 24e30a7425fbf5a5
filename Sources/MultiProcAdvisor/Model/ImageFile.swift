import DockerfileParser

/// A file the image will contain whose content dockadvise knows, and where it came from.
public struct ImageFile: Sendable {
  /// How the file got into the image.
  public indirect enum Origin: Sendable {
    /// `COPY`/`ADD` of `contextPath` from the build context, by the instruction at `instruction`.
    case context(contextPath: String, instruction: FileRange)
    /// `COPY <<EOF /path` (the heredoc body is the content).
    case heredoc(instruction: FileRange)
    /// Written by a `RUN` (`cat > file <<EOF`, `echo … > file`, `printf … > file`, `touch file`).
    case run(instruction: FileRange)
    /// `COPY --from=stage` of a file that stage has.
    case stage(name: String, instruction: FileRange, original: Origin)
    /// Supplied by an installed package (a default configuration dockadvise knows).
    case package(name: String)
    /// Written when the container starts by the startup script at `script` (a cont-init.d script),
    /// which came into the image as `original` says.
    case startupScript(script: String, original: Origin)

    /// The instruction that brought the file (or, for a file written at start, its script) in.
    public var instruction: FileRange? {
      switch self {
      case .context(_, let instruction), .heredoc(let instruction), .run(let instruction), .stage(_, let instruction, _):
        return instruction
      case .package:
        return nil
      case .startupScript(_, let original):
        return original.instruction
      }
    }
  }

  /// How `source.path` starts for content dockadvise knows from a package rather than from a file the
  /// user can edit.
  public static let packagePathPrefix = "(package) "

  /// Absolute, normalised path in the image.
  public var path: String
  public var origin: Origin
  /// The content, mapped back to `source` (a context file, or the Dockerfile for heredocs and RUN).
  public var content: MappedText
  /// The file that findings about this content point into.
  public var source: SourceFile
  public var executable: Bool

  public init(path: String, origin: Origin, content: MappedText, source: SourceFile, executable: Bool) {
    self.path = path
    self.origin = origin
    self.content = content
    self.source = source
    self.executable = executable
  }

  /// The content decoded for display or text matching.
  public var text: String { content.text }

  /// A `SourceFile` holding exactly this content, with ranges in it equal to logical offsets. When the
  /// content maps one-to-one onto `source` from offset 0 (a context file), that is `source` itself.
  public var isWholeSourceFile: Bool {
    content.segments.count <= 1 && (content.segments.first.map { $0.originalStart == 0 && $0.isVerbatim } ?? true)
      && content.count == source.bytes.count
  }

  /// The content as a file of its own, for the configuration readers: `source` itself when the content
  /// is that whole file, else the content under the name `SOURCE (PATH)` (a supervisord.conf a build
  /// script writes with a heredoc), whose ranges `sourceLocation` takes back into `source`.
  public var readableSource: SourceFile {
    isWholeSourceFile ? source : SourceFile(path: "\(source.path) (\(path))", bytes: content.bytes)
  }

  /// Where a range of `readableSource` is in `source` (the lines of the heredoc in the build script).
  public func sourceLocation(_ range: SourceRange) -> FileRange {
    guard !isWholeSourceFile else { return FileRange(file: source, range: range) }
    let start = min(max(range.start, 0), content.count)
    return FileRange(file: source, range: content.originalRange(start, min(max(range.end, start), content.count)))
  }

  /// The image path a `readableSource` name stands for (`install.sh (/etc/supervisor/conf.d/a.conf)`).
  static func pathOfReadableSource(_ name: String) -> String? {
    guard name.hasSuffix(")") else { return nil }
    let bytes = Array(name.utf8)
    var index = bytes.count - 3
    while index >= 0 {
      if bytes[index] == UInt8(ascii: " "), bytes[index + 1] == UInt8(ascii: "("), bytes[index + 2] == UInt8(ascii: "/") {
        return String(decoding: bytes[(index + 2)..<(bytes.count - 1)], as: UTF8.self)
      }
      index -= 1
    }
    return nil
  }

  /// The instruction that put the file in the image.
  public var introducedBy: FileRange? { origin.instruction }

  /// A note such as "/start.sh is copied from docker/start.sh at Dockerfile:7".
  public var provenanceNote: Finding.Note {
    switch origin {
    case .context(let contextPath, let instruction):
      return Finding.Note("\(path) is copied from \(contextPath) at \(instruction.file.path):\(instruction.start.line)", at: instruction)
    case .heredoc(let instruction):
      return Finding.Note("\(path) is written by a heredoc at \(instruction.file.path):\(instruction.start.line)", at: instruction)
    case .run(let instruction):
      return Finding.Note("\(path) is written by RUN at \(instruction.file.path):\(instruction.start.line)", at: instruction)
    case .stage(let name, let instruction, _):
      return Finding.Note("\(path) is copied from stage '\(name)' at \(instruction.file.path):\(instruction.start.line)", at: instruction)
    case .package(let name):
      return Finding.Note("\(path) is the default from package \(name)")
    case .startupScript(let script, _):
      return Finding.Note("\(path) is written at start by \(script)", at: FileRange(file: source, range: content.originalRange(0, content.count)))
    }
  }
}
