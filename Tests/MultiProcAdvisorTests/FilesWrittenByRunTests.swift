import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// Files a RUN writes (`printf`, `echo`, heredocs, build scripts the RUN executes): their text is what
/// the shell would write, and their ranges point into the file the writing command is in.
@Suite struct FilesWrittenByRunTests {
  static func image(_ dockerfile: String, files: [String: String] = [:]) -> ImageModel {
    Linter.analyse(Linter.Request(dockerfile: SourceFile(path: "Dockerfile", text: dockerfile), context: InMemoryBuildContext(files: files))).image
  }

  @Test func printfEscapesMakeATwoLineRunScript() throws {
    let image = Self.image("FROM ubuntu:latest\nRUN printf \"#!/bin/sh\\n/usr/sbin/apache2 -DFOREGROUND\" > /etc/services.d/first-service/run\n")
    let file = try #require(image.files.file(at: "/etc/services.d/first-service/run"))
    #expect(file.text == "#!/bin/sh\n/usr/sbin/apache2 -DFOREGROUND")
    // The second line maps back to its own bytes in the Dockerfile, not to the whole format word.
    let line2 = file.content.originalRange(10, file.content.count)
    #expect(file.source.text(of: line2) == "/usr/sbin/apache2 -DFOREGROUND")
  }

  @Test func printfReusesItsFormatForEveryArgument() throws {
    let image = Self.image("FROM alpine\nRUN printf '%s\\n' '#!/bin/sh' 'exec crond -f' > /run.sh\n")
    #expect(try #require(image.files.file(at: "/run.sh")).text == "#!/bin/sh\nexec crond -f\n")
  }

  @Test func printfPercentBInterpretsEscapesInItsArgument() throws {
    let image = Self.image("FROM alpine\nRUN printf '%b' '#!/bin/sh\\nexec nginx\\n' > /run.sh\n")
    #expect(try #require(image.files.file(at: "/run.sh")).text == "#!/bin/sh\nexec nginx\n")
  }

  @Test func echoEUnderBashInterpretsEscapes() throws {
    let image = Self.image("FROM debian\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo -e '#!/bin/sh\\nexec nginx' > /run.sh\n")
    #expect(try #require(image.files.file(at: "/run.sh")).text == "#!/bin/sh\nexec nginx\n")
  }

  @Test func bashEchoWithoutEKeepsBackslashes() throws {
    let image = Self.image("FROM debian\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo 'a\\nb' > /f\n")
    #expect(try #require(image.files.file(at: "/f")).text == "a\\nb\n")
  }

  @Test func dashEchoInterpretsEscapesWithoutE() throws {
    let image = Self.image("FROM debian:bookworm\nRUN echo '#!/bin/sh\\nexec nginx' > /run.sh\n")
    #expect(try #require(image.files.file(at: "/run.sh")).text == "#!/bin/sh\nexec nginx\n")
  }

  @Test func dashEchoPrintsMinusEAsText() throws {
    // dash's echo knows no -e: the file starts with "-e ", so it has no shebang.
    let image = Self.image("FROM debian:bookworm\nRUN echo -e '#!/bin/sh\\nexec nginx' > /run.sh\n")
    #expect(try #require(image.files.file(at: "/run.sh")).text == "-e #!/bin/sh\nexec nginx\n")
  }

  @Test func busyboxEchoNeedsE() throws {
    let image = Self.image("FROM alpine:3.20\nRUN echo 'a\\nb' > /f && echo -e 'c\\td' > /g\n")
    #expect(try #require(image.files.file(at: "/f")).text == "a\\nb\n")
    #expect(try #require(image.files.file(at: "/g")).text == "c\td\n")
  }

  @Test func heredocOfABuildScriptPointsIntoTheScript() throws {
    let script = "#!/bin/sh\nset -e\ncat > /usr/local/bin/start.sh <<'SCRIPT'\n#!/bin/sh\necho starting\nnginx -g 'daemon off;'\nSCRIPT\nchmod +x /usr/local/bin/start.sh\n"
    let image = Self.image(
      "FROM debian:bookworm-slim\nCOPY build/install.sh /tmp/install.sh\nRUN sh /tmp/install.sh\nCMD [\"/usr/local/bin/start.sh\"]\n",
      files: ["build/install.sh": script])
    let file = try #require(image.files.file(at: "/usr/local/bin/start.sh"))
    #expect(file.text == "#!/bin/sh\necho starting\nnginx -g 'daemon off;'\n")
    #expect(file.source.path == "build/install.sh")
    #expect(file.executable)
    let range = file.content.originalRange(0, 9)
    #expect(file.source.text(of: range) == "#!/bin/sh")
    #expect(FileRange(file: file.source, range: range).start.line == 4)
  }

  @Test func echoOfABuildScriptPointsIntoTheScript() throws {
    let script = "#!/bin/sh\necho 'exec nginx -g \"daemon off;\"' > /start.sh\n"
    let image = Self.image("FROM alpine\nCOPY install.sh /install.sh\nRUN /install.sh\n", files: ["install.sh": script])
    let file = try #require(image.files.file(at: "/start.sh"))
    #expect(file.text == "exec nginx -g \"daemon off;\"\n")
    #expect(file.source.path == "install.sh")
    #expect(file.source.text(of: file.content.originalRange(0, 4)) == "exec")
  }
}
