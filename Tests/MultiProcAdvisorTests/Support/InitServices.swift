/// Shell snippets for the fake services the init tests run. Each service appends lines to `$T/events`.
enum InitServices {
  /// `ev WORDS…` appends a line to `$T/events`; `count PATTERN` counts the lines matching it so far.
  static let prelude = #"""
    ev() { echo "$*" >> "$T/events"; }
    count() { cat "$T/events" 2>/dev/null | grep -c "$1"; }

    """#

  /// A service that logs `NAME SIG` for each signal in `signals`, logs `NAME ready`, idles, and on TERM
  /// runs `onTerm` (after logging `NAME TERM`). With `grandchild`, it first forks a subshell (same process
  /// group) that logs as `NAME.gc`. `stop` names the signal that gets the `onTerm` (or ignore) treatment.
  static func logger(
    _ name: String, signals: [String] = [], onTerm: String = "exit 0", grandchild: Bool = false,
    ignoreTerm: Bool = false,
    stop: String = "TERM"
  ) -> String {
    func traps(_ who: String) -> String {
      var text = signals.map { "trap 'ev \(who) \($0)' \($0)" }.joined(separator: "\n")
      text += ignoreTerm ? "\ntrap '' \(stop)" : "\ntrap 'ev \(who) \(stop); \(onTerm)' \(stop)"
      return text
    }
    var body = prelude + "\n"
    if grandchild {
      body += "(\n\(traps(name + ".gc"))\nev \(name).gc ready\nwhile :; do sleep 0.05; done\n) &\n"
    }
    body += traps(name) + "\nev \(name) ready\nwhile :; do sleep 0.05; done"
    return body
  }
}
