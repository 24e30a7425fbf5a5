/// Every rule dockadvise runs, in code order. Hand-maintained: a test checks that each file in `Rules/`
/// is listed here and that codes and names are unique.
public enum RuleRegistry {
  public static let all: [any Rule.Type] = [
    DockerfileSyntaxRule.self,
    ShellSyntaxRule.self,
    ContextFileMissingRule.self,
    ShellFormPID1Rule.self,
    ScriptWithoutExecRule.self,
    JSONArgsMalformedRule.self,
    EntrypointDropsCmdRule.self,
    KeepaliveHackRule.self,
    ShellPID1NoSignalForwardingRule.self,
    StopsignalMismatchRule.self,
    ShellRunsProgramRule.self,
    PackageManagerPID1Rule.self,
    SystemdPID1Rule.self,
    BackgroundProcessRule.self,
    WaitForAllRule.self,
    WaitNNeedsBashRule.self,
    ExitStatusLostRule.self,
    DaemonizingCommandRule.self,
    MissingInitRule.self,
    NoForegroundProcessRule.self,
    SupervisordNoExitPropagationRule.self,
    SupervisordDaemonizesRule.self,
    SupervisordProgramDaemonizesRule.self,
    SupervisordLogsHiddenRule.self,
    SupervisordConfigMissingRule.self,
    S6EntrypointRule.self,
    S6NoExitPropagationRule.self,
    S6ServiceIncompleteRule.self,
    S6LegacyLayoutRule.self,
    S6RunDaemonizesRule.self,
    S6OverlayIncompleteRule.self,
    InitInstalledUnusedRule.self,
    InitNeedsFlagRule.self,
    InitShadowedRule.self,
  ]

  public static var descriptions: [RuleDescription] { all.map { $0.description } }

  /// The rule with this code (case-insensitive) or name.
  public static func rule(_ identifier: String) -> (any Rule.Type)? {
    all.first { $0.description.id == identifier.uppercased() || $0.description.name == identifier }
  }

  /// (code, name) pairs, for configuration validation and suggestions.
  public static var identifiers: [(id: String, name: String)] { descriptions.map { ($0.id, $0.name) } }
}
