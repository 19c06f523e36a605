/// Reads fields out of a decoded provider response, naming the path of whatever is missing or
/// wrongly typed in the `LLMError.malformed` it throws (`content[1].input: expected object`).
struct JSONPath {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// Parses `body` as the root, or throws `malformed` with the decoder's reason.
    static func root(_ body: [UInt8]) throws(LLMError) -> JSONPath {
        guard !body.isEmpty else { throw .malformed("empty body") }
        do {
            return JSONPath(try JSONValue(parsing: body))
        } catch {
            throw .malformed("body is not valid JSON (\(body.count) bytes)")
        }
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ what: String) -> LLMError { .malformed("\(path.isEmpty ? "body" : path): \(what)") }

    /// The member `key`, which must exist (null counts as present).
    subscript(key: String) -> JSONPath {
        get throws(LLMError) {
            guard case .object(let members) = value else { throw fail("expected object, got \(value.kind)") }
            guard let member = members[key] else { throw .malformed("\(name(key)): missing") }
            return JSONPath(member, path: name(key))
        }
    }

    /// The member `key`, or nil when absent or null.
    func optional(_ key: String) throws(LLMError) -> JSONPath? {
        guard case .object(let members) = value else { throw fail("expected object, got \(value.kind)") }
        guard let member = members[key], member != .null else { return nil }
        return JSONPath(member, path: name(key))
    }

    func string() throws(LLMError) -> String {
        guard case .string(let text) = value else { throw fail("expected string, got \(value.kind)") }
        return text
    }

    /// A whole number ≥ 0 (token counts).
    func count() throws(LLMError) -> Int {
        guard let number = value.intValue, number >= 0 else { throw fail("expected a whole number ≥ 0, got \(value.jsonText.prefix(40))") }
        return number
    }

    func object() throws(LLMError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw fail("expected object, got \(value.kind)") }
        return members
    }

    func array() throws(LLMError) -> [JSONPath] {
        guard case .array(let elements) = value else { throw fail("expected array, got \(value.kind)") }
        return elements.enumerated().map { JSONPath($1, path: "\(path)[\($0)]") }
    }

    /// The error message of an error body (`{"error":{"message":…}}`, both providers), if any.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard let root = try? JSONValue(parsing: body), case .object(let members) = root else { return nil }
        if case .object(let error) = members["error"] {
            return error["message"]?.stringValue ?? error["type"]?.stringValue
        }
        return members["error"]?.stringValue ?? members["message"]?.stringValue
    }
}
