/// How serious a finding is. Ordered: `error` > `warning` > `info` > `style`.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
  case style
  case info
  case warning
  case error

  var rank: Int {
    switch self {
    case .style: 0
    case .info: 1
    case .warning: 2
    case .error: 3
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
