/// The language a script is written in, as far as dockadvise cares.
public enum ShellDialect: String, Sendable, Equatable {
  /// POSIX sh: `sh` (dash on Debian/Ubuntu, busybox ash on Alpine), `dash`, `ash`.
  case posix
  /// bash (and bash-based wrappers such as `bashio`), ksh, zsh: parsed with bash's grammar.
  case bash
  /// execline (`execlineb`): not shell; not parsed.
  case execline
  /// Another interpreter (python, perl, node…): not parsed.
  case other
}

/// The `#!` line of a script: `#!/bin/sh`, `#!/usr/bin/env bash`, `#!/usr/bin/with-contenv bash`,
/// `#!/command/execlineb -P`.
public struct ShellShebang: Sendable, Equatable {
  /// The whole first line, without its line break.
  public var range: SourceRange
  /// The text after `#!`, trimmed.
  public var text: String
  /// The programs that run before the interpreter: `/usr/bin/env`, `/usr/bin/with-contenv`,
  /// `/usr/bin/dumb-init`.
  public var launchers: [String]
  /// The interpreter as written (`/bin/bash`, `bash` after env).
  public var interpreterPath: String
  /// Its last path component: `sh`, `bash`, `ash`, `dash`, `execlineb`, `python3`.
  public var interpreter: String
  /// The interpreter's arguments (`-e`, `-P`).
  public var arguments: [String]
  public var dialect: ShellDialect

  public init(
    range: SourceRange, text: String, launchers: [String], interpreterPath: String, interpreter: String,
    arguments: [String], dialect: ShellDialect
  ) {
    self.range = range
    self.text = text
    self.launchers = launchers
    self.interpreterPath = interpreterPath
    self.interpreter = interpreter
    self.arguments = arguments
    self.dialect = dialect
  }

  /// True for execline (`execlineb`).
  public var isExecline: Bool { dialect == .execline }

  /// True when the shebang passes `-e` (alone or combined, as in `-ex`) to the shell.
  public var enablesErrexit: Bool {
    arguments.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("e") }
  }

  static let launcherNames: Set<String> = ["env", "with-contenv", "dumb-init", "tini", "catatonit", "s6-env"]
  static var shellNames: [String: ShellDialect] { ShellNames.dialects }

  /// Reads the shebang at the start of `bytes` (the first line must start with `#!`).
  public static func parse(_ bytes: [UInt8], text mapped: MappedText) -> ShellShebang? {
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "!") else { return nil }
    var end = 0
    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
    var lineEnd = end
    if lineEnd > 2, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
    let line = String(decoding: bytes[2..<lineEnd], as: UTF8.self)
    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    let range = mapped.originalRange(0, lineEnd)
    let trimmed = fields.joined(separator: " ")
    guard !fields.isEmpty else {
      return ShellShebang(
        range: range, text: trimmed, launchers: [], interpreterPath: "", interpreter: "", arguments: [],
        dialect: .other)
    }
    var launchers: [String] = []
    var remaining = fields[...]
    while let first = remaining.first {
      let base = basename(first)
      guard launcherNames.contains(base), remaining.count > 1 else { break }
      launchers.append(first)
      remaining = remaining.dropFirst()
      if base == "env" {
        // env [-i] [-S 'bash -e'] [-u NAME] [NAME=value]… program
        var expanded: [String] = []
        while let option = remaining.first {
          if option == "-S" || option == "--split-string" {
            remaining = remaining.dropFirst()
            continue
          }
          if option.hasPrefix("-S") && option.count > 2 {
            expanded.append(String(option.dropFirst(2)))
            remaining = remaining.dropFirst()
            break
          }
          if option == "-u" || option == "-C" {
            remaining = remaining.dropFirst(2)
            continue
          }
          if option.hasPrefix("-") || option.contains("=") {
            remaining = remaining.dropFirst()
            continue
          }
          break
        }
        if !expanded.isEmpty { remaining = (expanded + remaining)[...] }
      } else {
        // skip the launcher's own options (`dumb-init -c`, `tini -s --`)
        while let option = remaining.first, option.hasPrefix("-"), remaining.count > 1 {
          remaining = remaining.dropFirst()
          if option == "--" { break }
        }
      }
    }
    // an unknown launcher in front of a known shell (`#!/usr/local/bin/wrapper bash`)
    if let first = remaining.first, shellNames[basename(first)] == nil,
      let shell = remaining.dropFirst().firstIndex(where: { shellNames[basename($0)] != nil })
    {
      launchers += remaining[remaining.startIndex..<shell]
      remaining = remaining[shell...]
    }
    let interpreterPath = remaining.first ?? ""
    var interpreter = basename(interpreterPath)
    var arguments = Array(remaining.dropFirst())
    if interpreter == "busybox", let applet = arguments.first, !applet.hasPrefix("-") {
      interpreter = applet
      arguments.removeFirst()
    }
    let dialect = shellNames[interpreter] ?? .other
    return ShellShebang(
      range: range, text: trimmed, launchers: launchers, interpreterPath: interpreterPath, interpreter: interpreter,
      arguments: arguments, dialect: dialect)
  }

  static func basename(_ path: String) -> String {
    if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
    return path
  }
}
