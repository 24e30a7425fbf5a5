/// Parsed shell code: a script file, a shell-form Dockerfile instruction, or a `-c` string; its syntax
/// tree plus an index of every simple command with its context, for the rules' queries.
///
/// ```swift
/// let script = ShellScript.parse(file: SourceFile(path: "entrypoint.sh", bytes: bytes))
/// for command in script.terminalCommands where !command.isExec { … }     // DA102
/// if script.waits.contains(where: \.waitsForAny), script.dialect == .posix { … }  // DA203
/// ```
public struct ShellScript: Sendable, Equatable {
  /// The main-path walker as the indexer leaves it, before any walk: `terminalCommands(given:)` starts
  /// from a copy rather than indexing the script again. Not part of the script's value.
  let unwalkedMainPath: UnwalkedMainPath
  /// The code as parsed, with its map back to the original file.
  public let source: MappedText
  /// The `#!` line, for a script file that has one.
  public let shebang: ShellShebang?
  /// The language: from the shebang for a script file, else what the caller said (`/bin/sh` → `.posix`).
  public let dialect: ShellDialect
  /// The top-level list of commands (empty for execline and other interpreters, which are not parsed).
  public let body: ShellList
  /// Syntax problems; an error means `bash -n` rejects the code and `body` holds what came before it.
  public let diagnostics: [ShellDiagnostic]
  /// Constructs that need bash, in source order.
  public let bashisms: [ShellBashism]
  /// Every simple command, in source order, with its context (nested command substitutions and function
  /// bodies included; code inside strings such as `sh -c '…'` is in each command's `embeddedScript`).
  public let invocations: [ShellInvocation]
  /// Function definitions, in source order.
  public let functions: [ShellFunction]
  /// Lists and commands started with `&` (and coprocesses), in source order.
  public let backgroundJobs: [ShellBackgroundJob]
  /// `while`, `until`, `for`, `select` loops, in source order.
  public let loops: [ShellLoopInfo]
  /// Indices of the commands that can run last on the script's main path.
  let terminalIndices: [Int]
  let argumentIndex: [ShellArgumentsUsage]

  /// True when the code was parsed as shell (false for execline and other interpreters).
  public var isShell: Bool { dialect == .posix || dialect == .bash }
  /// True when the script is execline (`#!/command/execlineb -P`).
  public var isExecline: Bool { dialect == .execline }
  /// True when some diagnostic is an error (the caller reports DA002 and skips deeper analysis).
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
  /// The first error, if any.
  public var firstError: ShellDiagnostic? { diagnostics.first { $0.severity == .error } }

  init(
    source: MappedText, shebang: ShellShebang?, dialect: ShellDialect, body: ShellList, diagnostics: [ShellDiagnostic],
    bashisms: [ShellBashism]
  ) {
    self.source = source
    self.shebang = shebang
    self.dialect = dialect
    self.body = body
    self.diagnostics = diagnostics
    var indexer = ShellIndexer()
    indexer.index(body)
    var walker = ShellMainPathWalker(indexer: indexer)
    self.unwalkedMainPath = UnwalkedMainPath(walker: walker)
    walker.walkProgram(body)
    indexer.apply(walker)
    self.invocations = indexer.invocations
    self.functions = indexer.functions
    self.backgroundJobs = indexer.jobs
    self.loops = indexer.loops
    self.terminalIndices = walker.terminals
    self.argumentIndex = indexer.argumentUsages
    self.bashisms = (bashisms + indexer.bashisms).sorted { $0.range < $1.range }
  }

  /// The default nesting limit, counted in parser levels (a command, a list, a word: `$( … )` costs three):
  /// deeper `$( $( … ) )`, `( ( … ) )` or `${x:-${y:-…}}` is reported as an error instead of being
  /// parsed, which keeps the stack bounded (about 1.2 MB in a debug build, 250 KB optimised). Real scripts
  /// stay under 30.
  public static let defaultMaximumDepth = 100

  /// Parses shell code from a Dockerfile: a shell-form instruction's logical text, or the decoded
  /// content of a `["sh", "-c", "…"]` element. `dialect` is the shell that will run it (`/bin/sh` → `.posix`).
  public static func parse(
    _ text: MappedText, dialect: ShellDialect = .posix, maximumDepth: Int = defaultMaximumDepth
  ) -> ShellScript {
    var parser = ShellParser(text: text, maximumDepth: maximumDepth)
    let body = parser.parseProgram()
    return ShellScript(
      source: text, shebang: nil, dialect: dialect, body: body, diagnostics: parser.diagnostics,
      bashisms: parser.bashisms)
  }

  /// Parses a script file. The shebang picks the dialect; execline and non-shell interpreters are not
  /// parsed (an empty body and no diagnostics). Without a shebang the script is taken as `defaultDialect`.
  public static func parse(
    file: SourceFile, defaultDialect: ShellDialect = .posix, maximumDepth: Int = defaultMaximumDepth
  ) -> ShellScript {
    parseScript(
      MappedText(bytes: file.bytes, verbatimFrom: 0), defaultDialect: defaultDialect, maximumDepth: maximumDepth)
  }

  /// Parses a whole script held in a `MappedText` — for example the body of a Dockerfile heredoc
  /// (`COPY <<EOF /entrypoint.sh`), mapped into the Dockerfile — recognising its shebang as `parse(file:)`
  /// does.
  public static func parseScript(
    _ text: MappedText, defaultDialect: ShellDialect = .posix, maximumDepth: Int = defaultMaximumDepth
  ) -> ShellScript {
    let shebang = ShellShebang.parse(text.bytes, text: text)
    let dialect = shebang?.dialect ?? defaultDialect
    guard dialect == .posix || dialect == .bash else {
      return ShellScript(
        source: text, shebang: shebang, dialect: dialect, body: ShellList(range: .empty(at: 0)), diagnostics: [],
        bashisms: [])
    }
    var parser = ShellParser(text: text, maximumDepth: maximumDepth)
    let body = parser.parseProgram()
    return ShellScript(
      source: text, shebang: shebang, dialect: dialect, body: body, diagnostics: parser.diagnostics,
      bashisms: parser.bashisms)
  }

  /// Parses a string as shell code (offsets are the string's UTF-8 offsets).
  public static func parse(_ code: String, dialect: ShellDialect = .posix) -> ShellScript {
    parse(MappedText(bytes: Array(code.utf8), verbatimFrom: 0), dialect: dialect)
  }

  /// Code inside a string of another command (`su -c`, `trap`, `eval`).
  static func parseEmbedded(_ text: MappedText, dialect: ShellDialect, depth: Int, maximumDepth: Int) -> ShellScript {
    var parser = ShellParser(text: text, depth: depth, maximumDepth: maximumDepth)
    let body = parser.parseProgram()
    return ShellScript(
      source: text, shebang: nil, dialect: dialect, body: body, diagnostics: parser.diagnostics,
      bashisms: parser.bashisms)
  }
}

/// A walker kept for later walks; every script with the same syntax has the same one, so it takes no
/// part in equality.
struct UnwalkedMainPath: Sendable, Equatable {
  let walker: ShellMainPathWalker
  static func == (_: UnwalkedMainPath, _: UnwalkedMainPath) -> Bool { true }
}
