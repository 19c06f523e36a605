import Glibc

/// Calls `body` with a NULL-terminated array of C strings copied from `strings`, as `argv`
/// and `envp` of `posix_spawn` want them. The copies (`strdup`) are freed when `body` returns;
/// no pointer may escape it.
///
/// - Parameters:
///   - strings: The strings (must not contain NUL; callers check).
///   - body: Gets the array.
/// - Returns: What `body` returns.
func withSpawnArgumentArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) throws -> R) rethrows -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return try pointers.withUnsafeBufferPointer { buffer in
        // A non-empty array always has a base address; fall back to a lone NULL otherwise.
        guard let base = buffer.baseAddress else {
            var empty: UnsafeMutablePointer<CChar>? = nil
            return try withUnsafePointer(to: &empty) { try body($0) }
        }
        return try body(base)
    }
}
