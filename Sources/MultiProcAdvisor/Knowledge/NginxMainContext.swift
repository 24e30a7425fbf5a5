/// The directives of nginx.conf's main context (outside every `{ … }` block) that decide whether nginx
/// daemonizes: `daemon off;`, and the files `include`d there (where `daemon` could also be set).
struct NginxMainContext {
  var daemonOff = false
  var includes: [String] = []

  init(_ text: String) {
    var depth = 0
    var statement = ""
    var inComment = false
    for character in text {
      if inComment {
        if character == "\n" { inComment = false }
        continue
      }
      switch character {
      case "#":
        inComment = true
      case "{":
        depth += 1
        statement = ""
      case "}":
        depth = max(0, depth - 1)
        statement = ""
      case ";":
        if depth == 0 { record(statement) }
        statement = ""
      default:
        statement.append(character)
      }
    }
  }

  private mutating func record(_ statement: String) {
    let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    guard let directive = words.first else { return }
    if directive == "daemon", words.count >= 2 { daemonOff = words[1].trimmed(in: "\"'") == "off" }
    if directive == "include", words.count >= 2 { includes.append(words[1].trimmed(in: "\"'")) }
  }
}
