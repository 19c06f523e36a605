import ArgumentParser
import Foundation
import JarvisCore
import JarvisSpool

struct Enqueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Drop an Alertmanager webhook body into the spool, durably.",
        discussion: """
            Writes the body to a temporary file inside the spool, fsyncs it, renames it into \
            SPOOL/incoming and fsyncs the folder: once this exits 0, the payload survives a crash \
            or power loss. The next `jarvis ingest` picks it up and checks it (a body that is not \
            a webhook goes to SPOOL/rejected with a .reason file); enqueue refuses only a missing, \
            empty or oversized one (exit 65). Use - to read standard input:

              curl -s … | jarvis enqueue -
              jarvis enqueue /tmp/alert.json
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("A file holding one webhook body, or - for standard input.", valueName: "file"))
    var file: String

    func run() throws {
        RunContext.execute("enqueue", options, recordRun: false) { context in
            let spool = try context.openSpool()
            let bytes: Data
            if file == "-" {
                bytes = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                    throw SpoolRejection("\(file): no such file")
                }
                guard let data = FileManager.default.contents(atPath: file) else { throw SpoolRejection("\(file): cannot be read") }
                bytes = data
            }
            guard !bytes.isEmpty else { throw SpoolRejection("the payload is empty") }
            let name = try spool.enqueue(bytes)
            let summary = "enqueued \(bytes.count) bytes as \(spool.incoming)/\(name)"
            Console.print(summary)
            return .ok(summary)
        }
    }
}
