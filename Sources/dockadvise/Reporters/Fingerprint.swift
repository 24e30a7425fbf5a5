/// Stable identities for findings, so CI systems (GitLab code quality, GitHub code scanning) can tell
/// a finding that moved from a new one: a hash of the rule code, the file and the trimmed text of the
/// offending line, never the line number; repeats of the same triple in one file are numbered.
enum Fingerprint {
  /// 32 hex digits: two 64-bit FNV-1a hashes with different offset bases.
  static func hash(_ text: String) -> String {
    func fnv(_ basis: UInt64) -> UInt64 {
      var value = basis
      for byte in text.utf8 {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
      }
      return value
    }
    func hex(_ value: UInt64) -> String {
      let digits = String(value, radix: 16)
      return String(repeating: "0", count: 16 - digits.count) + digits
    }
    return hex(fnv(0xCBF2_9CE4_8422_2325)) + hex(fnv(0x8422_2325_CBF2_9CE4))
  }

  /// The fingerprint of the first occurrence of a finding's code and line text in its file.
  static func of(_ finding: ReportedFinding, path: String, occurrence: Int = 0) -> String {
    hash("\(finding.code)\u{0}\(path)\u{0}\(finding.anchorText)\u{0}\(occurrence)")
  }

  /// Numbers repeats within one file: call `next` for each finding of the file in order.
  struct Counter {
    private var seen: [String: Int] = [:]

    mutating func next(_ finding: ReportedFinding, path: String) -> String {
      let key = "\(finding.code)\u{0}\(finding.anchorText)"
      let occurrence = seen[key, default: 0]
      seen[key] = occurrence + 1
      return Fingerprint.of(finding, path: path, occurrence: occurrence)
    }
  }
}
