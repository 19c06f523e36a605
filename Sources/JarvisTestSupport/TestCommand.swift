import Foundation

/// Runs a helper program for test setup (ssh-keygen, useradd…) and captures its output.
public enum TestCommand {
    /// What a finished helper program left behind.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output, UTF-8.
        public var stdout: String
        /// Standard error, UTF-8.
        public var stderr: String
    }

    /// A helper program failed.
    public struct Failure: Error, CustomStringConvertible {
        /// The command line, for the message.
        public var command: String
        /// What it left behind.
        public var output: Output
        /// `command` with its status and stderr.
        public var description: String { "\(command) exited \(output.status): \(output.stderr)" }
    }

    /// Runs `executable` with `arguments` to completion.
    ///
    /// - Parameters:
    ///   - executable: Absolute path of the program.
    ///   - arguments: Its arguments.
    ///   - environment: Extra environment variables on top of this process's.
    ///   - check: Throw when the status is not 0 (default true).
    /// - Returns: Status and output.
    /// - Throws: `Failure` when `check` and the status is not 0; Foundation errors when it cannot start.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], check: Bool = true) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read stderr on the side so that neither pipe can fill up and stall the child.
        let errData = LockedBox(Data())
        let reader = Thread {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
        }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        let output = Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
        if check && output.status != 0 {
            throw Failure(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output
    }
}

/// A value guarded by a lock, set once by another thread.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    private var wasSet = false

    init(_ value: Value) { stored = value }

    func set(_ value: Value) {
        lock.lock()
        stored = value
        wasSet = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return wasSet
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
