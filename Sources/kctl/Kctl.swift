import ArgumentParser
import Foundation

@main
struct Kctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kctl",
        abstract: "kctl controls a Kubernetes cluster (kplane's, or any other): kubectl's verbs, flags and output.",
        subcommands: [
            Get.self, Apply.self, Create.self, Delete.self, Scale.self, SetCommand.self, Label.self, Annotate.self,
            APIResources.self, APIVersions.self, Version.self, ConfigCommand.self,
        ])

    /// Runs a verb and turns failures into kubectl's one-line messages and exit code 1.
    static func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch {
            Terminal.error(ErrorText.describe(error))
            throw ExitCode(1)
        }
    }
}
