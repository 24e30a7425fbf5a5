import DockerfileParser

/// One simple command found in a shell program or an exec-form array, as rules need it: where it is,
/// what program it resolves to (through `exec`, `gosu`, `su-exec`, `env`, …) and with which arguments.
public struct CommandReference: Sendable {
  /// The whole command (for the finding's location).
  public var location: FileRange
  /// Where the resolved program's word starts (after wrappers such as `exec`, `nohup`, `gosu user`).
  public var programLocation: FileRange
  /// The resolved program as written (`/usr/sbin/nginx`), nil when it is not a literal.
  public var program: String?
  /// The arguments after the program; nil entries are words that are not literals (`$PORT`).
  public var arguments: [String?]
  /// The source text of the command, for messages.
  public var text: String
  /// Whether the command replaces the shell (`exec cmd`).
  public var isExec: Bool
  /// Where `exec ` can be inserted to make the command replace the shell; nil when that is not safe.
  public var execInsertionPoint: FileRange?
  /// Ranges of each argument word (same order as `arguments`), for fixes that edit one argument.
  public var argumentLocations: [FileRange]
  /// Whether the words are elements of an exec-form JSON array (edits must write JSON strings).
  public var wordsAreJSON: Bool
  /// The wrappers the program runs under, outermost first (`gosu`, `tini`, `env`…).
  public var wrappers: [String] = []
  /// The program word as written, for a program that is not a literal (`$CATALINA_HOME/bin/startup.sh`).
  public var programText: String?

  public init(
    location: FileRange, programLocation: FileRange, program: String?, arguments: [String?], text: String,
    isExec: Bool, execInsertionPoint: FileRange?, argumentLocations: [FileRange], wordsAreJSON: Bool = false
  ) {
    self.location = location
    self.programLocation = programLocation
    self.program = program
    self.arguments = arguments
    self.text = text
    self.isExec = isExec
    self.execInsertionPoint = execInsertionPoint
    self.argumentLocations = argumentLocations
    self.wordsAreJSON = wordsAreJSON
  }

  /// Locations of every word: the program, then the arguments.
  public var wordLocations: [FileRange] { [programLocation] + argumentLocations }

  /// The program's basename (`/usr/sbin/nginx` → `nginx`).
  public var programName: String? { program.map(DaemonCatalog.basename) }

  /// The literal arguments (non-literal ones dropped).
  public var literalArguments: [String] { arguments.compactMap { $0 } }

  public func hasArgument(_ argument: String) -> Bool { arguments.contains(argument) }
}
