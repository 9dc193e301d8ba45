import Foundation

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
    /// Index of the member `key` in the current line, or nil (`find`: the search starts after
    /// the member found last, as a record reads its members in the order it wrote them).
    func fieldIndex(_ key: RecordKey) -> Int? {
        key.utf8.withUnsafeBufferPointer { k in k.baseAddress.flatMap { find(key: $0, count: k.count) } }
    }

    func string(_ key: RecordKey) -> String? { fieldIndex(key).flatMap(stringValue(at:)) }
    func int(_ key: RecordKey) -> Int64? { fieldIndex(key).flatMap(int(at:)) }
    func double(_ key: RecordKey) -> Double? { fieldIndex(key).flatMap(double(at:)) }
    func bool(_ key: RecordKey) -> Bool? { fieldIndex(key).flatMap(bool(at:)) }
    func value(_ key: RecordKey) -> JSONValue? { fieldIndex(key).flatMap(value(at:)) }
    /// The value of field `idx`, parsed.
    func value(at idx: Int) -> JSONValue? { try? JSONParser.parse(Array(rawValue(at: idx))) }
    /// The strings of the array of field `idx` (other elements skipped), as `[String]` reads them.
    func strings(at idx: Int) -> [String]? { value(at: idx)?.arrayValue?.compactMap(\.stringValue) }
    func contains(_ key: RecordKey) -> Bool { fieldIndex(key) != nil }
    func isNull(_ key: RecordKey) -> Bool { fieldIndex(key).map { fields[$0].kind == .null } ?? true }
    func malformed(_ key: RecordKey, _ reason: String) -> any Error {
        InputError.malformedFile(path: path, line: lineNumber, reason: "\(key.name): \(reason)")
    }

    /// Reads the current line as a `R`, through the record codec: its type's `RecordTable` once
    /// one is made, else `RecordDecoder`.
    public func decode<R: Decodable>(_ type: R.Type = R.self) throws -> R {
        switch recordTables.state(R.self, writing: false) {
        case .table(let table):
            let record = try table.read(R.self, from: self)
            #if DEBUG
                // Stops a debug build whose table reads otherwise than `RecordDecoder` (a record
                // with a hand-written `init(from:)` that its first row did not tell apart).
                assert(
                    (try? R(from: RecordDecoder(source: self))).map { table.same($0, record) } ?? false,
                    "\(R.self): its member table and Codable disagree")
            #endif
            return record
        case .refused:
            return try R(from: RecordDecoder(source: self))
        case .untried:
            let recorder = RecordKeyRecorder()
            let record = try R(from: RecordDecoder(source: self, recorder: recorder))
            var state = RecordTableState.refused
            if !recorder.refused, let table = RecordTable.make(R.self, asked: recorder.entries),
                let tabled = try? table.read(R.self, from: self), table.same(record, tabled)
            {
                state = .table(table)
            }
            RecordTables.shared.setReader(R.self, state)
            return record
        }
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
        RecordReadError(member: key.name, reason: reason)
    }

    /// Reads the object as a `R`, through the record codec (`RecordDecoder`).
    public func decode<R: Decodable>(_ type: R.Type = R.self) throws -> R {
        try R(from: RecordDecoder(source: self))
    }
}

extension Decoder {
    /// Reads a `R` from the object this decoder reads, as `R(from:)` does; with the record
    /// codec's decoder on a reader's line, through `R`'s member table when it has one. For a
    /// hand-written `init(from:)` that reads a part of its members as a nested record.
    func decodeMembers<R: Decodable>(_ type: R.Type) throws -> R {
        if let d = self as? RecordDecoder, d.recorder == nil, let reader = d.source as? JSONLReader {
            return try reader.decode(R.self)
        }
        return try R(from: self)
    }
}

/// A member of a single-object file that the record codec cannot read; the reader of the file
/// turns it into a data error naming the file (`ReportStage.readRecord`).
struct RecordReadError: Error, CustomStringConvertible {
    let member: String
    let reason: String
    var description: String { "\(member): \(reason)" }
}

/// Reads a `Decodable` record's members from a `RecordSource`, each under its member's name in
/// snake_case (`RecordKey`), with the readers' long-standing leniency: a missing or unreadable
/// value of an optional member reads as nil; of a required one as `RecordFieldValue.whenMissing`
/// ("" for text, 0 for counts and amounts, false for flags, empty for lists); required months,
/// dates and nested records have none and fail the read. Keyed containers only.
struct RecordDecoder: Decoder {
    let source: any RecordSource
    /// Notes the members asked for, on a type's first row (`RecordTable`).
    var recorder: RecordKeyRecorder? = nil
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(MemberReader<Key>(source: source, keys: RecordKeyCursor(Key.self), recorder: recorder))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        recorder?.refuse()
        throw RecordDecoder.unkeyed
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        recorder?.refuse()
        throw RecordDecoder.unkeyed
    }
    static var unkeyed: DecodingError {
        DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "a record member must be a RecordFieldValue or a record"))
    }

    /// Reads members by key from the source.
    struct MemberReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let source: any RecordSource
        let keys: RecordKeyCursor
        let recorder: RecordKeyRecorder?
        var codingPath: [any CodingKey] { [] }
        /// The source's keys are not listed: a record asks for its members by name.
        var allKeys: [Key] { [] }

        func contains(_ k: Key) -> Bool {
            recorder?.refuse()
            return source.contains(keys.key(k))
        }
        func decodeNil(forKey k: Key) throws -> Bool {
            recorder?.refuse()
            return source.isNull(keys.key(k))
        }

        // The member types nearly every record has, read without a dynamic cast. An optional
        // member reads as nil when its value is missing, null or of another type (Codable's
        // default would read a value of another type as the required member does).
        func decode(_ t: String.Type, forKey k: Key) throws -> String { try noted(t, k) }
        func decode(_ t: Int.Type, forKey k: Key) throws -> Int { try noted(t, k) }
        func decode(_ t: Int64.Type, forKey k: Key) throws -> Int64 { try noted(t, k) }
        func decode(_ t: Double.Type, forKey k: Key) throws -> Double { try noted(t, k) }
        func decode(_ t: Bool.Type, forKey k: Key) throws -> Bool { try noted(t, k) }

        func decodeIfPresent(_ t: String.Type, forKey k: Key) throws -> String? { try notedIfPresent(t, k) }
        func decodeIfPresent(_ t: Int.Type, forKey k: Key) throws -> Int? { try notedIfPresent(t, k) }
        func decodeIfPresent(_ t: Int64.Type, forKey k: Key) throws -> Int64? { try notedIfPresent(t, k) }
        func decodeIfPresent(_ t: Double.Type, forKey k: Key) throws -> Double? { try notedIfPresent(t, k) }
        func decodeIfPresent(_ t: Bool.Type, forKey k: Key) throws -> Bool? { try notedIfPresent(t, k) }

        /// Any other required member: months, dates, lists, a nested record.
        func decode<T: Decodable>(_ type: T.Type, forKey k: Key) throws -> T {
            recorder?.note(k, T.self)
            // Months and dates by a metadata comparison, not a conformance lookup per member.
            if T.self == Month.self { return unsafeBitCast(try required(Month.self, k), to: T.self) }
            if T.self == Day.self { return unsafeBitCast(try required(Day.self, k), to: T.self) }
            if let f = T.self as? any RecordFieldValue.Type, let v = try required(f, k) as? T { return v }
            guard let v = source.value(keys.key(k)), v.objectValue != nil else { throw missing(k) }
            return try v.decode(T.self)
        }
        /// Any other optional member.
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey k: Key) throws -> T? {
            recorder?.note(k, T?.self)
            if T.self == Month.self { return try optional(Month.self, k).map { unsafeBitCast($0, to: T.self) } }
            if T.self == Day.self { return try optional(Day.self, k).map { unsafeBitCast($0, to: T.self) } }
            if let f = T.self as? any RecordFieldValue.Type { return try optional(f, k) as? T }
            guard let v = source.value(keys.key(k)), v.objectValue != nil else { return nil }
            return try v.decode(T.self)
        }

        // Inlined into the typed overloads above, so `F` is concrete there: a generic call
        // would look up `F`'s metadata and witnesses for every member read.
        @inline(__always)
        private func required<F: RecordFieldValue>(_ f: F.Type, _ k: Key) throws -> F {
            guard let v = try F.read(source, keys.key(k)) ?? F.whenMissing else { throw missing(k) }
            return v
        }
        @inline(__always)
        private func optional<F: RecordFieldValue>(_ f: F.Type, _ k: Key) throws -> F? {
            try F.read(source, keys.key(k))
        }
        /// `required`, telling the recorder (on a table's first row) the member and its type.
        @inline(__always)
        private func noted<F: RecordFieldValue>(_ f: F.Type, _ k: Key) throws -> F {
            recorder?.note(k, f)
            return try required(f, k)
        }
        /// `optional`, telling the recorder the member and its optional type.
        @inline(__always)
        private func notedIfPresent<F: RecordFieldValue>(_ f: F.Type, _ k: Key) throws -> F? {
            recorder?.note(k, F?.self)
            return try optional(f, k)
        }
        private func missing(_ k: Key) -> any Error { source.malformed(keys.key(k), "missing") }

        // A record's members are flat: nested containers and super decoders read the same object.
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey k: Key) -> KeyedDecodingContainer<N> {
            recorder?.refuse()
            return KeyedDecodingContainer(
                RecordDecoder.MemberReader<N>(source: source, keys: RecordKeyCursor(N.self), recorder: nil))
        }
        func nestedUnkeyedContainer(forKey k: Key) throws -> any UnkeyedDecodingContainer {
            recorder?.refuse()
            throw RecordDecoder.unkeyed
        }
        func superDecoder() -> any Decoder {
            recorder?.refuse()
            return RecordDecoder(source: source)
        }
        func superDecoder(forKey k: Key) -> any Decoder {
            recorder?.refuse()
            return RecordDecoder(source: source)
        }
    }
}
