extension ParameterPattern: Codable {
    private enum CodingKeys: String, CodingKey {
        case firstCharacters = "first_characters"
        case characters
        case minLength = "min_length"
        case maxLength = "max_length"
        case unitTypes = "unit_types"
    }

    /// Decodes either the name of a built-in pattern (`container`, `unit`, `interface`, `lines`,
    /// `project`) or a custom pattern:
    ///
    /// ```yaml
    /// parameters:
    ///   unit: unit                       # a built-in
    ///   site:                            # a custom pattern
    ///     characters: "a-z0-9-"
    ///     first_characters: "a-z"        # default: characters
    ///     min_length: 1                  # default 1
    ///     max_length: 63
    ///     unit_types: [service]          # only for systemd unit names
    /// ```
    ///
    /// A custom pattern that allows more than the universal characters decodes, and is
    /// reported by `ActionCatalog.problems` (and never matches such characters anyway).
    ///
    /// - Throws: `DecodingError` for an unknown built-in name, a bad character class, or
    ///   `min_length` above `max_length`.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            guard let pattern = ParameterPattern.builtIn[name] else {
                throw DecodingError.dataCorruptedError(
                    in: single,
                    debugDescription: "unknown parameter pattern \(name.debugDescription); built-in: \(ParameterPattern.builtIn.keys.sorted())")
            }
            self = pattern
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let characters = try container.decode(ASCIICharacterClass.self, forKey: .characters)
        let first = try container.decodeIfPresent(ASCIICharacterClass.self, forKey: .firstCharacters) ?? characters
        let minLength = try container.decodeIfPresent(Int.self, forKey: .minLength) ?? 1
        let maxLength = try container.decode(Int.self, forKey: .maxLength)
        guard minLength <= maxLength else {
            throw DecodingError.dataCorruptedError(forKey: .maxLength, in: container, debugDescription: "max_length is below min_length")
        }
        let unitTypes = try container.decodeIfPresent([String].self, forKey: .unitTypes).map(Set.init)
        self.init(firstCharacters: first, characters: characters, length: minLength...maxLength, unitTypes: unitTypes)
    }

    /// Encodes a built-in as its name, anything else as the keyed form.
    ///
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        if let builtIn = ParameterPattern.builtIn[name], builtIn == self {
            var single = encoder.singleValueContainer()
            try single.encode(name)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(firstCharacters, forKey: .firstCharacters)
        try container.encode(characters, forKey: .characters)
        try container.encode(length.lowerBound, forKey: .minLength)
        try container.encode(length.upperBound, forKey: .maxLength)
        try container.encodeIfPresent(unitTypes?.sorted(), forKey: .unitTypes)
    }
}
