/// A here-document of a RUN, COPY or ADD instruction (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) with
/// its body.
public struct Heredoc: Sendable {
  /// The delimiter word with quotes removed (`EOF`).
  public var name: String
  /// The file descriptor written before `<<` (`3<<EOF`), 0 when absent (BuildKit's `FileDescriptor`).
  public var fileDescriptor: UInt64
  /// True for `<<-`: leading tabs are stripped from the body lines and the terminator (BuildKit `Chomp`).
  public var stripsLeadingTabs: Bool
  /// False when any part of the delimiter was quoted (`<<"EOF"`, `<<'EOF'`, `<<E"O"F`): the body is
  /// then used literally, without variable expansion (BuildKit `Expand`).
  public var expands: Bool
  /// The marker as written in the instruction (`3<<-"EOF"`).
  public var markerRange: SourceRange
  /// The delimiter word as written (`"EOF"` in `<<"EOF"`).
  public var nameRange: SourceRange
  /// The body: every line between the instruction (or the previous heredoc) and the terminator,
  /// newlines included.
  public var bodyRange: SourceRange
  /// The terminator line without its newline (leading tabs included for `<<-`); nil when the file ends
  /// before the terminator.
  public var terminatorRange: SourceRange?
  /// The body bytes mapped to the file (verbatim, one segment).
  public var body: MappedText

  public init(
    name: String, fileDescriptor: UInt64, stripsLeadingTabs: Bool, expands: Bool, markerRange: SourceRange,
    nameRange: SourceRange, bodyRange: SourceRange, terminatorRange: SourceRange?, body: MappedText
  ) {
    self.name = name
    self.fileDescriptor = fileDescriptor
    self.stripsLeadingTabs = stripsLeadingTabs
    self.expands = expands
    self.markerRange = markerRange
    self.nameRange = nameRange
    self.bodyRange = bodyRange
    self.terminatorRange = terminatorRange
    self.body = body
  }

  /// The content exactly as BuildKit's parser gives it (`Heredoc.Content`): the body lines with their
  /// line endings, leading tabs not yet removed.
  public var content: [UInt8] { body.bytes }

  /// `content` decoded as UTF-8.
  public var contentText: String { body.text }

  /// True when the terminator line was found.
  public var isTerminated: Bool { terminatorRange != nil }

  /// The content as the build uses it: for `<<-`, leading tabs removed from every line (BuildKit's
  /// `ChompHeredocContent`); otherwise `body`. Still mapped byte for byte to the file, so a script
  /// written by a heredoc can be analysed with positions.
  public var effectiveContent: MappedText {
    guard stripsLeadingTabs else { return body }
    var result = MappedText()
    let bytes = body.bytes
    var index = 0
    var atLineStart = true
    var runStart = 0
    while index < bytes.count {
      if atLineStart && bytes[index] == 0x09 {
        if index > runStart {
          result.appendVerbatim(bytes[runStart..<index], originalStart: body.originalOffset(runStart))
        }
        while index < bytes.count && bytes[index] == 0x09 { index += 1 }
        runStart = index
        atLineStart = false
        continue
      }
      atLineStart = bytes[index] == 0x0A
      index += 1
    }
    if bytes.count > runStart {
      result.appendVerbatim(bytes[runStart..<bytes.count], originalStart: body.originalOffset(runStart))
    }
    return result
  }
}
