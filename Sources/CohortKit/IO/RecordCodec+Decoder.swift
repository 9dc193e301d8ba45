/// Where the record decoder reads a record's members: the current line of a `JSONLReader`, or a
/// parsed JSON object (the single-object outputs such as kpis.json).
protocol RecordSource {
    /// The text under `key`; nil when missing, null or not a string.
    func string(_ key: RecordKey) -> String?
    /// The integer under `key`; nil when missing, null or not an integer.
    func int(_ key: RecordKey) -> Int64?
    /// The number under `key`; nil when missing, null or not a number.
    func double(_ key: RecordKey) -> Double?
    /// The boolean under `key`; nil when missing, null or not a boolean.
    func bool(_ key: RecordKey) -> Bool?
    /// The value under `key`, parsed; nil when missing.
    func value(_ key: RecordKey) -> JSONValue?
    /// Whether `key` is there (null included).
    func contains(_ key: RecordKey) -> Bool
    /// Whether `key` is missing or null.
    func isNull(_ key: RecordKey) -> Bool
    /// The error for a value under `key` that is there but not valid, saying where it was read.
    func malformed(_ key: RecordKey, _ reason: String) -> any Error
}

extension JSONLReader: RecordSource {
    /// Index of the member `key` in the current line, or nil.
    func fieldIndex(_ key: RecordKey) -> Int? {
        fields.firstIndex { buffer[(lineStart + Int($0.keyStart))..<(lineStart + Int($0.keyEnd))] == key.utf8[...] }
    }
    /// The raw text of the member `key`'s value when it is of `kind`.
    private func text(_ key: RecordKey, _ kind: Kind) -> String? {
        guard let i = fieldIndex(key), fields[i].kind == kind else { return nil }
        let f = fields[i]
        return String(decoding: buffer[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))], as: UTF8.self)
    }

    func string(_ key: RecordKey) -> String? { fieldIndex(key).flatMap(stringValue(at:)) }
    func int(_ key: RecordKey) -> Int64? { text(key, .number).flatMap { Int64($0) } }
    func double(_ key: RecordKey) -> Double? { text(key, .number).flatMap { Double($0) } }
    func bool(_ key: RecordKey) -> Bool? { text(key, .bool).map { $0 == "true" } }
    func value(_ key: RecordKey) -> JSONValue? {
        guard let i = fieldIndex(key) else { return nil }
        let f = fields[i]
        return try? JSONParser.parse(Array(buffer[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))]))
    }
    func contains(_ key: RecordKey) -> Bool { fieldIndex(key) != nil }
    func isNull(_ key: RecordKey) -> Bool { fieldIndex(key).map { fields[$0].kind == .null } ?? true }
    func malformed(_ key: RecordKey, _ reason: String) -> any Error {
        InputError.malformedFile(path: path, line: lineNumber, reason: "\(key.name): \(reason)")
    }

    /// Reads the current line as a `R`, through the record codec (`RecordDecoder`).
    public func decode<R: Decodable>(_ type: R.Type = R.self) throws -> R {
        try R(from: RecordDecoder(source: self))
    }
}

extension JSONValue: RecordSource {
    func string(_ key: RecordKey) -> String? { self[key.name]?.stringValue }
    func int(_ key: RecordKey) -> Int64? { self[key.name]?.intValue.map { Int64($0) } }
    func double(_ key: RecordKey) -> Double? { self[key.name]?.doubleValue }
    func bool(_ key: RecordKey) -> Bool? { self[key.name]?.boolValue }
    func value(_ key: RecordKey) -> JSONValue? { self[key.name] }
    func contains(_ key: RecordKey) -> Bool { self[key.name] != nil }
    func isNull(_ key: RecordKey) -> Bool { self[key.name]?.isNull ?? true }
    func malformed(_ key: RecordKey, _ reason: String) -> any Error {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(key.name): \(reason)"))
    }

    /// Reads the object as a `R`, through the record codec (`RecordDecoder`).
    public func decode<R: Decodable>(_ type: R.Type = R.self) throws -> R {
        try R(from: RecordDecoder(source: self))
    }
}

/// Reads a `Decodable` record's members from a `RecordSource`, each under its member's name in
/// snake_case (`RecordKey`), with the readers' long-standing leniency: a missing or unreadable
/// value of an optional member reads as nil; of a required one as `RecordFieldValue.whenMissing`
/// ("" for text, 0 for counts and amounts, false for flags, empty for lists); required months,
/// dates and nested records have none and fail the read. Keyed containers only.
struct RecordDecoder<Source: RecordSource>: Decoder {
    let source: Source
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(MemberReader<Key>(source: source))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw RecordDecoder.unkeyed }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw RecordDecoder.unkeyed }
    static var unkeyed: DecodingError {
        DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "a record member must be a RecordFieldValue or a record"))
    }

    /// Reads members by key from the source.
    struct MemberReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let source: Source
        var codingPath: [any CodingKey] { [] }
        /// The source's keys are not listed: a record asks for its members by name.
        var allKeys: [Key] { [] }

        func contains(_ k: Key) -> Bool { source.contains(RecordKey.of(k)) }
        func decodeNil(forKey k: Key) throws -> Bool { source.isNull(RecordKey.of(k)) }

        /// Every required member comes here (Codable's typed overloads forward to this one).
        func decode<T: Decodable>(_ type: T.Type, forKey k: Key) throws -> T {
            let key = RecordKey.of(k)
            if let f = T.self as? any RecordFieldValue.Type {
                if let v = try read(f, key, required: true) as? T { return v }
                throw DecodingError.keyNotFound(k, .init(codingPath: [], debugDescription: "\(key.name) is missing"))
            }
            guard let v = source.value(key), v.objectValue != nil else {
                throw DecodingError.keyNotFound(k, .init(codingPath: [], debugDescription: "\(key.name) is missing"))
            }
            return try v.decode(T.self)
        }

        // An optional member reads as nil when its value is missing, null or of another type
        // (Codable's default would read a value of another type as the required member does).
        func decodeIfPresent(_ type: String.Type, forKey k: Key) throws -> String? { try optional(type, k) }
        func decodeIfPresent(_ type: Int.Type, forKey k: Key) throws -> Int? { try optional(type, k) }
        func decodeIfPresent(_ type: Int64.Type, forKey k: Key) throws -> Int64? { try optional(type, k) }
        func decodeIfPresent(_ type: Double.Type, forKey k: Key) throws -> Double? { try optional(type, k) }
        func decodeIfPresent(_ type: Bool.Type, forKey k: Key) throws -> Bool? { try optional(type, k) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey k: Key) throws -> T? { try optional(type, k) }
        private func optional<T: Decodable>(_ type: T.Type, _ k: Key) throws -> T? {
            let key = RecordKey.of(k)
            if let f = T.self as? any RecordFieldValue.Type { return try read(f, key, required: false) as? T }
            guard let v = source.value(key), v.objectValue != nil else { return nil }
            return try v.decode(T.self)
        }

        private func read<F: RecordFieldValue>(_ f: F.Type, _ key: RecordKey, required: Bool) throws -> F? {
            if let v = try F.read(source, key) { return v }
            return required ? F.whenMissing : nil
        }

        // A record's members are flat: nested containers and super decoders read the same object.
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey k: Key) -> KeyedDecodingContainer<N> {
            KeyedDecodingContainer(RecordDecoder.MemberReader<N>(source: source))
        }
        func nestedUnkeyedContainer(forKey k: Key) throws -> any UnkeyedDecodingContainer {
            throw RecordDecoder.unkeyed
        }
        func superDecoder() -> any Decoder { RecordDecoder(source: source) }
        func superDecoder(forKey k: Key) -> any Decoder { RecordDecoder(source: source) }
    }
}
