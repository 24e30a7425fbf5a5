import Testing
@testable import DockerfileParser

@Suite struct FlagTests {
  @Test func flagsKeepNamesValuesAndRanges() {
    let file = Dockerfile.parse("FROM a\nCOPY --from=build --chown=\"user:group\" --link src /dst\n")
    let copy = file.instructions[1]
    #expect(copy.flags.map(\.text) == ["--from=build", "--chown=user:group", "--link"])
    #expect(copy.flags.map(\.name) == ["from", "chown", "link"])
    #expect(copy.flags.map(\.value) == ["build", "user:group", nil])
    #expect(text(file, copy.flags[1].range) == "--chown=\"user:group\"")
    #expect(text(file, copy.flags[1].nameRange) == "chown")
    #expect(text(file, copy.flags[1].valueRange) == "\"user:group\"")
    #expect(copy.flags[2].valueRange == nil)
    #expect(copy.flag(named: "from")?.value == "build")
    #expect(copy.value == ["src", "/dst"])
    #expect(text(file, copy.argumentsRange) == "src /dst")
    #expect(file.issues.isEmpty)
  }

  @Test func escapesInFlagsAreResolved() {
    #expect(dump("COPY --from=a\\ b c d\n") == "(copy [\"--from=a b\"] \"c\" \"d\")\n")
    #expect(dump("COPY --from='x y' c d\n") == "(copy [\"--from=x y\"] \"c\" \"d\")\n")
  }

  @Test func doubleDashEndsTheFlags() {
    #expect(dump("RUN --network=none -- --not-a-flag\n") == "(run [\"--network=none\"] \"--not-a-flag\")\n")
    #expect(dump("COPY -- foo /tmp/\n") == "(copy \"foo\" \"/tmp/\")\n")
  }

  @Test func flagsWithoutArguments() {
    #expect(dump("COPY --link\n") == "(copy [\"--link\"])\n")
    #expect(dump("COPY --from=\"\" a b\n") == "(copy [\"--from=\"] \"a\" \"b\")\n")
  }

  @Test func nonASCIIBytesAreWidenedLikeBuildKit() {
    // BuildKit reads flags byte by byte and writes each byte as a rune: é (C3 A9) becomes Ã©.
    #expect(dump("COPY --chown=é a b\n") == "(copy [\"--chown=Ã©\"] \"a\" \"b\")\n")
    // …and the byte A0 (the second byte of à) counts as white space.
    #expect(dump("COPY --chown=à a b\n") == "(copy [\"--chown=Ã\"] \"a\" \"b\")\n")
  }

  @Test func mountFlagValueIsKeptWhole() {
    let file = Dockerfile.parse("FROM a\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x pip install\n")
    let mounts = file.instructions[1].flags.all(named: "mount")
    #expect(mounts.map(\.value) == ["type=cache,target=/root/.cache", "type=secret,id=x"])
    #expect(file.issues.isEmpty)
  }

  @Test func instructionLayerChecksFlags() {
    func first(_ text: String) -> ParseIssue? { Dockerfile.parse("FROM a\n" + text + "\n").issues.first }
    #expect(first("COPY --form=x a b")?.message.hasPrefix("unknown flag: --form (did you mean from?)") == true)
    #expect(first("COPY --from a b")?.message.hasPrefix("missing a value on flag: --from") == true)
    #expect(first("COPY --link=maybe a b")?.message.hasPrefix("expecting boolean value for flag --link, not: maybe") == true)
    #expect(first("COPY --from=a --from=b x y")?.message.hasPrefix("duplicate flag specified: --from") == true)
    #expect(first("RUN --network=bridge x")?.message.hasPrefix("invalid network mode \"bridge\"") == true)
    #expect(first("CMD --foo x")?.code == .unknownFlag)
    #expect(first("COPY --link=false --exclude=a --exclude=b x y") == nil)
    #expect(first("RUN --mount=type=bind,target=/x --security=insecure --network=host x") == nil)
    // STOPSIGNAL and ARG never look at flags; HEALTHCHECK NONE neither.
    #expect(first("STOPSIGNAL --x SIGTERM") == nil)
    #expect(first("HEALTHCHECK --interval=1s NONE") == nil)
    let issue = Dockerfile.parse("FROM a\nCOPY --form=x a b\n").issues[0]
    #expect(issue.layer == .instruction && issue.severity == .error)
    #expect(issue.formatted(in: Dockerfile.parse("FROM a\nCOPY --form=x a b\n").source).hasPrefix("Dockerfile:2:6: error: unknown flag"))
  }

  @Test func triggerFlagsBelongToTheTrigger() {
    let file = Dockerfile.parse("FROM a\nONBUILD COPY --from=x a b\n")
    #expect(file.buildKitDump() == "(from \"a\")\n(onbuild (copy [\"--from=x\"] \"a\" \"b\"))\n")
    #expect(file.instructions[1].flags.isEmpty)
    #expect(file.instructions[1].triggerInstruction?.flags.map(\.text) == ["--from=x"])
  }
}
