/// The shells dockadvise knows, by basename, with the grammar their scripts are parsed with. The one
/// list of shell names: shebangs, `sh -c` strings inside commands, and the program table
/// (`ProgramTable` in MultiProcAdvisor) all read it.
public enum ShellNames {
  public static let dialects: [String: ShellDialect] = [
    "sh": .posix, "dash": .posix, "ash": .posix, "posh": .posix, "busybox": .posix, "yash": .posix,
    "bash": .bash, "rbash": .bash, "bashio": .bash, "ksh": .bash, "ksh93": .bash, "mksh": .bash, "pdksh": .bash,
    "zsh": .bash,
    "execlineb": .execline,
  ]

  /// Shells that take `-c CODE` (every one but busybox, a multi-call binary, and execline).
  public static let commandShells: Set<String> = Set(dialects.compactMap { name, dialect in
    dialect == .execline || name == "busybox" ? nil : name
  })
}
