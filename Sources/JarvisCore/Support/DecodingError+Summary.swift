/// Decoding errors in words, for messages people read: where and what, never a Swift type name.
extension DecodingError {
    /// One line: `generation: expected a whole number`, `parked[2].since: is required`.
    public var summary: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        func at(_ codingPath: [any CodingKey], _ what: String) -> String {
            codingPath.isEmpty ? what : "\(path(codingPath)): \(what)"
        }
        switch self {
        case .keyNotFound(let key, let context): return at(context.codingPath + [key], "is required")
        case .typeMismatch(let type, let context): return at(context.codingPath, "expected \(Self.expectedKind(type))")
        case .valueNotFound(let type, let context): return at(context.codingPath, "expected \(Self.expectedKind(type)), found nothing")
        case .dataCorrupted(let context): return at(context.codingPath, context.debugDescription)
        @unknown default: return "cannot be decoded"
        }
    }

    /// What a decoder wanted, in words: `text`, `a whole number`, `a list`…
    public static func expectedKind(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name == "String" { return "text" }
        if name == "Bool" { return "true or false" }
        if name.hasPrefix("Array") { return "a list" }
        if name.hasPrefix("Dictionary") { return "a mapping" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "a whole number" }
        if ["Double", "Float", "Decimal"].contains(name) { return "a number" }
        return "a different kind of value"
    }
}
