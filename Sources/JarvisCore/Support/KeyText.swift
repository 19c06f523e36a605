/// Builds the short strings triage makes for every alert (keys, reasons) in one allocation.
///
/// String interpolation and `append` grow their buffer as they go and check capacity and
/// uniqueness on every piece; these keys are known in size up front, so the bytes are
/// copied straight into a string of the right capacity.
enum KeyText {
    /// `a + b + c + d + e`, written in one allocation (none when the result fits a small
    /// string).
    static func concatenate(_ a: String, _ b: String, _ c: String, _ d: String = "", _ e: String = "") -> String {
        let length = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            put(a, into: buffer, at: &index)
            put(b, into: buffer, at: &index)
            put(c, into: buffer, at: &index)
            put(d, into: buffer, at: &index)
            put(e, into: buffer, at: &index)
            return index
        }
    }

    /// Copies the UTF-8 of `part` to `buffer` at `index` and moves `index` past it; the
    /// buffer must have room.
    @inline(__always)
    static func put(_ part: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        let start = index
        let copied: Int? = part.utf8.withContiguousStorageIfAvailable { bytes in
            if let source = bytes.baseAddress, let target = buffer.baseAddress {
                (target + start).update(from: source, count: bytes.count)
            }
            return bytes.count
        }
        if let copied {
            index += copied
        } else {
            for byte in part.utf8 {
                buffer[index] = byte
                index += 1
            }
        }
    }
}
