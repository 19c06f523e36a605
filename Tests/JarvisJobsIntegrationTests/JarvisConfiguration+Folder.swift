import Foundation
import JarvisJobs
import JarvisTestSupport

extension JarvisConfiguration {
    /// The default configuration with its spool and state folders in `dir` (the state folder
    /// created) and runner `runner`; each suite sets the rest.
    static func inFolder(_ dir: TemporaryDirectory, runner: String = "test") throws -> JarvisConfiguration {
        var configuration = JarvisConfiguration()
        configuration.spoolDir = dir.path + "/spool"
        configuration.stateDir = dir.path + "/state"
        configuration.runner = runner
        try FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
        return configuration
    }
}
