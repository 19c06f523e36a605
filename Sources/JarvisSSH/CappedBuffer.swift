/// Collects at most `cap` bytes of one output stream and remembers whether more came.
///
/// Bytes past the cap are counted and dropped, so a command that writes gigabytes costs
/// `cap` bytes of memory; the reader keeps draining so the writer is never blocked.
struct CappedBuffer {
    /// Most bytes kept.
    let cap: Int
    /// The bytes kept so far.
    private(set) var bytes: [UInt8] = []
    /// Total bytes seen, kept or dropped.
    private(set) var totalCount = 0

    init(cap: Int) {
        self.cap = max(0, cap)
        bytes.reserveCapacity(min(self.cap, 64 * 1024))
    }

    /// True when bytes were dropped.
    var truncated: Bool { totalCount > bytes.count }

    /// Appends what fits under the cap and counts the rest.
    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        totalCount += chunk.count
        let room = cap - bytes.count
        guard room > 0, !chunk.isEmpty else { return }
        bytes.append(contentsOf: chunk.prefix(room))
    }
}
