/// A construct that needs bash: dash (Debian's `/bin/sh`) rejects it, or runs it differently.
public struct ShellBashism: Sendable, Equatable {
  /// The construct.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    case doubleBracketTest = "[[ ]]"
    case arithmeticCommand = "(( ))"
    case arithmeticForLoop = "for (( ))"
    case functionKeyword = "function"
    case arrayAssignment = "array assignment"
    case arraySubscript = "array subscript"
    case ansiCQuote = "$'…'"
    case localeQuote = "$\"…\""
    case hereString = "<<<"
    case outputAndErrorRedirection = "&>"
    case duplicateToFileRedirection = ">&file"
    case fileDescriptorVariable = "{fd}>"
    case pipeStandardError = "|&"
    case processSubstitution = "<( )"
    case caseFallThrough = ";& / ;;&"
    case selectLoop = "select"
    case coprocess = "coproc"
    case timeKeyword = "time"
    case braceExpansion = "{a,b}"
    case bashParameterOperation = "${x/a/b} ${x:1} ${x^^} ${x@Q} ${!x}"
    case legacyArithmetic = "$[ ]"
    case extendedGlob = "@( )"
    /// `wait -n`, `wait -f`, `wait -p var`.
    case waitOption = "wait -n"
    /// `source`, `declare`, `typeset`, `let`, `shopt`, `mapfile`, `readarray`, `pushd`, `popd`, `disown`…
    case bashBuiltin = "bash builtin"
    /// `exec -a`, `exec -c`, `exec -l`.
    case execOption = "exec -a"
    /// `trap … ERR|DEBUG|RETURN`.
    case trapPseudoSignal = "trap ERR"
    /// `[ a == b ]` / `test a == b`.
    case testDoubleEquals = "[ == ]"
    /// `set -o pipefail` and other options dash 0.5.12 lacks.
    case setOption = "set -o pipefail"
    /// `$BASH_SOURCE`, `$RANDOM`, `$PIPESTATUS`, `$EUID`…
    case bashVariable = "bash variable"
    /// `echo -e` / `echo -n`… dash's echo prints `-e`.
    case echoOption = "echo -e"

    /// True when dash 0.5.12 (`dash -n`) refuses to parse a script containing the construct; false when
    /// dash parses it but fails or behaves differently when it runs.
    public var isSyntaxErrorInDash: Bool {
      switch self {
      case .arithmeticForLoop, .functionKeyword, .arrayAssignment, .hereString, .pipeStandardError,
        .processSubstitution, .caseFallThrough, .selectLoop, .extendedGlob:
        return true
      default:
        return false
      }
    }
  }

  public var kind: Kind
  public var range: SourceRange
  /// The text that triggered it (`wait -n`, `[[`, `<<<`).
  public var text: String

  public init(kind: Kind, range: SourceRange, text: String) {
    self.kind = kind
    self.range = range
    self.text = text
  }
}
