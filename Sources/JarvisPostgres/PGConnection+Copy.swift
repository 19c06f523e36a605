internal import CLibPQ

extension PGConnection {
    /// Streams rows into `COPY … FROM STDIN`. Wraps `PQexec`, `PQputCopyData`,
    /// `PQputCopyEnd` and `PQgetResult`.
    ///
    /// Rows are sent in 64 KiB chunks. Each element of `rows` is one line of the COPY format
    /// the statement names (text format by default: columns separated by tabs, `\N` for
    /// NULL, and backslash, tab, newline and carriage return escaped as `\\`, `\t`, `\n`,
    /// `\r`), *without* its trailing newline.
    ///
    /// - Parameters:
    ///   - unsafeSQL: A `COPY table (columns) FROM STDIN …` statement. Never untrusted text.
    ///   - rows: The lines to send.
    /// - Returns: The number of rows the server stored (from the `COPY n` tag).
    /// - Throws: `PGError` `.queryFailed` when the server rejects the statement or a row,
    ///   `.unreachable` when the connection is lost, `.protocolViolation` when the statement
    ///   is not a `COPY FROM STDIN`.
    @discardableResult
    public func copyIn(unsafeSQL: String, rows: some Sequence<String>) throws(PGError) -> Int {
        try copyIn(unsafeSQL: unsafeSQL) { (send: (inout [UInt8]) -> Bool) in
            let chunkSize = 64 * 1024
            var buffer: [UInt8] = []
            buffer.reserveCapacity(chunkSize + 4096)
            for row in rows {
                buffer.append(contentsOf: row.utf8)
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= chunkSize, !send(&buffer) { return }
            }
            if !buffer.isEmpty { _ = send(&buffer) }
        }
    }

    /// Streams COPY data that is already laid out (lines ending in a newline, in the format
    /// the statement names), in chunks of at most 1 MiB. See `copyIn(unsafeSQL:rows:)`.
    @discardableResult
    public func copyIn(unsafeSQL: String, data: [UInt8]) throws(PGError) -> Int {
        try copyIn(unsafeSQL: unsafeSQL) { (send: (inout [UInt8]) -> Bool) in
            let chunkSize = 1024 * 1024
            var offset = 0
            var chunk: [UInt8] = []
            while offset < data.count {
                let end = min(data.count, offset + chunkSize)
                if offset == 0 && end == data.count {
                    chunk = data
                } else {
                    chunk.removeAll(keepingCapacity: true)
                    chunk.append(contentsOf: data[offset..<end])
                }
                if !send(&chunk) { return }
                offset = end
            }
        }
    }

    /// Starts the COPY, lets `produce` hand over chunks through `send` (which empties its
    /// argument and answers false once sending failed), then ends it and reads the results.
    private func copyIn(unsafeSQL: String, produce: ((inout [UInt8]) -> Bool) -> Void) throws(PGError) -> Int {
        guard !unsafeSQL.utf8.contains(0) else {
            throw PGError(code: .protocolViolation, message: "the statement contains a NUL byte")
        }
        guard let started = PQexec(handle, unsafeSQL) else {
            throw failureWithoutResult(query: nil)
        }
        let start = PGResult(owning: started)
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            if PQresultStatus(started) == PGRES_FATAL_ERROR { throw serverError(start, query: nil, binds: []) }
            // Not a COPY (PQexec has already read all of its results).
            throw PGError(code: .protocolViolation, message: "copyIn needs a COPY … FROM STDIN statement")
        }

        var sendFailure: PGError?
        produce { buffer in
            guard sendFailure == nil else { return false }
            let sent = buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            buffer.removeAll(keepingCapacity: true)
            if sent != 1 { sendFailure = failureWithoutResult(query: nil) }
            return sent == 1
        }

        // End the COPY either way (with an error message when sending failed, which makes
        // the server discard the rows), then read every result until libpq returns NULL.
        let ended = sendFailure == nil ? PQputCopyEnd(handle, nil) : PQputCopyEnd(handle, "jarvis: sending COPY data failed")
        if ended != 1, sendFailure == nil { sendFailure = failureWithoutResult(query: nil) }
        var stored: Int?
        var serverFailure: PGError?
        while let next = PQgetResult(handle) {
            let result = PGResult(owning: next)
            switch PQresultStatus(next) {
            case PGRES_COMMAND_OK:
                stored = result.affectedRows
            case PGRES_FATAL_ERROR:
                serverFailure = serverFailure ?? serverError(result, query: nil, binds: [])
            default:
                serverFailure = serverFailure ?? PGError(code: .protocolViolation, message: "unexpected result after COPY")
            }
        }
        if let sendFailure { throw sendFailure }
        if let serverFailure { throw serverFailure }
        guard let stored else {
            throw PGError(code: isAlive ? .protocolViolation : .unreachable, message: "COPY ended without a command tag")
        }
        return stored
    }
}
