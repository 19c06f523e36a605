/// Calls `body` with a C array of C strings (`const char * const *`) holding `strings`,
/// where a nil element becomes a NULL pointer (what `PQexecParams` reads as SQL `NULL` and
/// what `PQconnectdbParams` reads as "not set").
///
/// All strings are copied, NUL-terminated, into one buffer that lives only for the call: no
/// pointer may escape `body`. A string that contains a NUL byte would be cut short by C, so
/// callers reject those first (see `firstIndexContainingNUL`).
///
/// - Parameters:
///   - strings: The strings, in order.
///   - body: Receives the array (valid only during the call) and its element count.
/// - Throws: Whatever `body` throws.
package func withCStringArray<Result, Failure: Error>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>, Int) throws(Failure) -> Result
) throws(Failure) -> Result {
    var byteCount = 0
    for string in strings { if let string { byteCount += string.utf8.count + 1 } }
    let storage = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(byteCount, 1))
    defer { storage.deallocate() }
    let pointers = UnsafeMutableBufferPointer<UnsafePointer<CChar>?>.allocate(capacity: max(strings.count, 1))
    defer { pointers.deallocate() }
    guard let base = storage.baseAddress, let array = pointers.baseAddress else {
        preconditionFailure("allocate(capacity: >= 1) returned an empty buffer")
    }
    var offset = 0
    for (index, string) in strings.enumerated() {
        guard let string else {
            pointers[index] = nil
            continue
        }
        let start = base + offset
        for byte in string.utf8 {
            storage[offset] = CChar(bitPattern: byte)
            offset += 1
        }
        storage[offset] = 0
        offset += 1
        pointers[index] = UnsafePointer(start)
    }
    return try body(UnsafePointer(array), strings.count)
}

/// The index of the first string that contains a NUL byte (which C would silently truncate),
/// or nil when there is none.
package func firstIndexContainingNUL(_ strings: [String?]) -> Int? {
    strings.firstIndex { $0?.utf8.contains(0) ?? false }
}
