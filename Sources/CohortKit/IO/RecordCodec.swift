import Foundation

/// The JSON key of a record's member: the member's name in snake_case, converted once per name.
///
/// A word starts at an upper-case letter and at a run of digits after a letter, and a run of
/// capitals is one word: `mrrStartMinor` → `mrr_start_minor`, `logoMAEPoints` →
/// `logo_mae_points`, `churnProb1y` → `churn_prob_1y`, `nrrTrailing12m` → `nrr_trailing_12m`.
/// A name already in snake_case stays as it is. (A class, so handing a cached key to each
/// member's read or write is one reference count, not three.)
final class RecordKey: Sendable {
    /// The key as written in the files.
    let name: String
    /// `"name":`, quotes and colon included, as the builder appends it.
    let quoted: [UInt8]
    /// The key's UTF-8 bytes, as the reader compares them.
    let utf8: [UInt8]

    init(member: String) {
        name = RecordKey.snakeCase(member)
        utf8 = Array(name.utf8)
        quoted = [UInt8(ascii: "\"")] + utf8 + [UInt8(ascii: "\""), UInt8(ascii: ":")]
    }

    /// The key of `member`, from the cache after its first use.
    static func of(_ member: some CodingKey) -> RecordKey { cache.key(member) }

    /// The keys of `type` met so far (`RecordKeyList`, read through a `RecordKeyCursor`).
    static func list(_ type: any CodingKey.Type) -> RecordKeyList { cache.list(type) }

    private static let cache = Cache()

    /// Keys by member name, and each `CodingKey` type's list, shared by every thread (a stage
    /// writes several outputs at once).
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var keys: [String: RecordKey] = [:]
        private var lists: [ObjectIdentifier: RecordKeyList] = [:]

        func key(_ member: some CodingKey) -> RecordKey {
            let name = member.stringValue
            lock.lock()
            defer { lock.unlock() }
            let k = keys[name] ?? RecordKey(member: name)
            keys[name] = k
            let id = ObjectIdentifier(type(of: member))
            let list = lists[id] ?? RecordKeyList(names: [], keys: [])
            if !list.names.contains(name) {
                lists[id] = RecordKeyList(names: list.names + [name], keys: list.keys + [k])
            }
            return k
        }

        func list(_ type: any CodingKey.Type) -> RecordKeyList {
            lock.lock()
            defer { lock.unlock() }
            return lists[ObjectIdentifier(type)] ?? RecordKeyList(names: [], keys: [])
        }
    }

    /// `member` in snake_case (see the type's comment).
    static func snakeCase(_ member: String) -> String {
        let c = Array(member.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(c.count + 4)
        func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        for (i, b) in c.enumerated() {
            let prev = i > 0 ? c[i - 1] : nil
            let next = i + 1 < c.count ? c[i + 1] : nil
            if let p = prev {
                let startsCapitalWord =
                    isUpper(b) && (isLower(p) || isDigit(p) || (isUpper(p) && next.map(isLower) == true))
                let startsNumber = isDigit(b) && (isUpper(p) || isLower(p))
                if startsCapitalWord || startsNumber { out.append(UInt8(ascii: "_")) }
            }
            out.append(isUpper(b) ? b + 32 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The keys of one `CodingKey` type met so far, in the order first met (once a record has been
/// written or read, usually its members in declaration order; a key named first elsewhere, such as
/// a KPI id the metric catalog asks for, comes earlier, and the cursor then finds it by search). A list never changes once made (a new key makes a new list), so a
/// container takes its type's list once per record and finds each member's key there without a
/// lock or a hash.
final class RecordKeyList: Sendable {
    let names: [String]
    let keys: [RecordKey]

    init(names: [String], keys: [RecordKey]) {
        self.names = names
        self.keys = keys
    }
}

/// One record's way through its `CodingKey` type's keys: members are asked for in declaration
/// order, so the key after the last one found is nearly always the next one asked for.
final class RecordKeyCursor {
    private let list: RecordKeyList
    private var next = 0

    init(_ type: any CodingKey.Type) { list = RecordKey.list(type) }

    /// The key of `member`: from the type's list, or from the shared cache when it lacks it.
    func key(_ member: some CodingKey) -> RecordKey {
        let name = member.stringValue
        if next < list.names.count, list.names[next] == name {
            next += 1
            return list.keys[next - 1]
        }
        guard let i = list.names.firstIndex(of: name) else { return RecordKey.of(member) }
        next = i + 1
        return list.keys[i]
    }
}

/// A member type the record codec writes and reads itself, as one JSON value: text, numbers,
/// booleans, months and dates (ISO text), lists of strings (arrays). A member of any other
/// type is a nested record, written as an object.
/// Writing the value is `JSONLineValue`'s `write(to:)`, as the hand-written records write it.
protocol RecordFieldValue: JSONLineValue {
    /// The value under `key` in `source`; nil when it is missing, null or not of this type.
    /// Throws when the value must be valid and is not.
    static func read(_ source: any RecordSource, _ key: RecordKey) throws -> Self?
    /// What a missing value reads as when the member is not optional; nil: the read fails.
    static var whenMissing: Self? { get }
}

extension RecordFieldValue {
    static var whenMissing: Self? { nil }
}

// Missing text reads as "", missing counts and amounts as 0, a missing flag as false.

extension String: RecordFieldValue {
    static func read(_ source: any RecordSource, _ key: RecordKey) -> String? { source.string(key) }
    static var whenMissing: String? { "" }
}

extension Int: RecordFieldValue {
    static func read(_ source: any RecordSource, _ key: RecordKey) -> Int? { source.int(key).map { Int($0) } }
    static var whenMissing: Int? { 0 }
}

extension Int64: RecordFieldValue {
    static func read(_ source: any RecordSource, _ key: RecordKey) -> Int64? { source.int(key) }
    static var whenMissing: Int64? { 0 }
}

extension Double: RecordFieldValue {
    static func read(_ source: any RecordSource, _ key: RecordKey) -> Double? { source.double(key) }
}

extension Bool: RecordFieldValue {
    static func read(_ source: any RecordSource, _ key: RecordKey) -> Bool? { source.bool(key) }
    static var whenMissing: Bool? { false }
}

/// A value that is Codable as its text (months, dates, attribution cohorts), for coders other
/// than the record codec, which writes and reads these members itself (`RecordFieldValue`).
protocol TextCodable: Codable {
    /// The value as written.
    var text: String { get }
    /// The value `text` spells; nil when it spells none.
    init?(text: String)
    /// What the text must be, for the error when it is not.
    static var expected: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let v = Self(text: try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected \(Self.expected)")
        }
        self = v
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension RecordFieldValue where Self: TextCodable {
    /// The value the text under `key` spells; nil when there is none or it spells none.
    static func read(_ source: any RecordSource, _ key: RecordKey) throws -> Self? {
        source.string(key).flatMap(Self.init(text:))
    }
}

extension Month: RecordFieldValue, TextCodable {
    var text: String { description }
    init?(text: String) { self.init(iso: text) }
    static var expected: String { "a month YYYY-MM" }
}

extension Day: RecordFieldValue, TextCodable {
    var text: String { description }
    init?(text: String) { self.init(iso: text) }
    static var expected: String { "a date YYYY-MM-DD" }
}

extension Array: RecordFieldValue where Element == String {
    /// The strings of the array under `key` (other elements skipped); a missing list is empty.
    static func read(_ source: any RecordSource, _ key: RecordKey) -> [String]? {
        source.value(key)?.arrayValue?.compactMap(\.stringValue)
    }
    static var whenMissing: [String]? { [] }
}

extension Array: JSONLineValue where Element == String {
    public func write(to line: JSONLineBuilder) {
        line.beginArray()
        for s in self { line.string(s) }
        line.endArray()
    }
}

extension JSONLineBuilder {
    /// Writes a record member's key.
    func key(_ k: RecordKey) { k.quoted.withUnsafeBufferPointer { key(quoted: $0) } }

    /// Writes a member's key given as its `"name":` bytes.
    @inline(__always)
    func key(quoted: UnsafeBufferPointer<UInt8>) {
        separate()
        append(quoted)
        pendingKey = true
    }

    /// Appends `record`'s members, in declaration order, to the object being written: through
    /// its type's `RecordTable` once one is made, else through `RecordEncoder`.
    func members<R: Encodable>(of record: R) throws {
        switch recordTables.state(R.self, writing: true) {
        case .table(let table):
            #if DEBUG
                try RecordTable.check(table, writing: record)
            #endif
            table.write(record, to: self)
        case .refused:
            try record.encode(to: RecordEncoder(line: self))
        case .untried:
            let recorder = RecordKeyRecorder()
            try record.encode(to: RecordEncoder(line: self, recorder: recorder))
            var state = RecordTableState.refused
            if !recorder.refused, let table = RecordTable.make(R.self, asked: recorder.entries),
                (try? RecordTable.agree(table, writing: record)) == true
            {
                state = .table(table)
            }
            RecordTables.shared.setWriter(R.self, state)
        }
    }
}

extension RecordTable {
    /// Whether `table` writes `record` as `RecordEncoder` does, byte for byte.
    static func agree<R: Encodable>(_ table: RecordTable, writing record: R) throws -> Bool {
        let coded = JSONLineBuilder()
        coded.beginObject()
        try record.encode(to: RecordEncoder(line: coded))
        coded.endObject()
        let tabled = JSONLineBuilder()
        tabled.beginObject()
        table.write(record, to: tabled)
        tabled.endObject()
        return coded.bytes == tabled.bytes
    }

    /// Stops a debug build whose table writes `record` otherwise than `RecordEncoder` (a record
    /// with a hand-written `encode(to:)` that its first row did not tell apart).
    static func check<R: Encodable>(_ table: RecordTable, writing record: R) throws {
        let agrees = try agree(table, writing: record)
        assert(agrees, "\(R.self): its member table and Codable disagree")
    }
}

extension Encoder {
    /// Writes `record`'s members into the object this encoder writes, as `record.encode(to:)`
    /// does; with the record codec's encoder, through `record`'s member table when it has one. For
    /// a hand-written `encode(to:)` that writes a part of its members from a nested record.
    func encodeMembers<R: Encodable>(of record: R) throws {
        if let e = self as? RecordEncoder, e.recorder == nil {
            try e.line.members(of: record)
        } else {
            try record.encode(to: self)
        }
    }
}

/// Writes an `Encodable` record's members into a `JSONLineBuilder`, in the order its
/// `encode(to:)` gives them (declaration order when synthesized), each key its member's name in
/// snake_case (`RecordKey`). Optional members write `null` when nil; nested records are
/// objects. Keyed containers only: a record is an object of named members.
struct RecordEncoder: Encoder {
    let line: JSONLineBuilder
    /// Notes the members asked for, on a type's first row (`RecordTable`).
    var recorder: RecordKeyRecorder? = nil
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(MemberWriter<Key>(line: line, keys: RecordKeyCursor(Key.self), recorder: recorder))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        recorder?.refuse()
        return Unkeyed()
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        recorder?.refuse()
        return Unkeyed()
    }

    /// Appends each member as `"key":value` to the object being written.
    struct MemberWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let line: JSONLineBuilder
        let keys: RecordKeyCursor
        let recorder: RecordKeyRecorder?
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey k: Key) throws {
            recorder?.refuse()
            writeNil(k)
        }

        // The member types nearly every record has, written without a dynamic cast; a nil
        // optional writes `"key":null` (Codable's default leaves the member out).
        mutating func encode(_ v: String, forKey k: Key) throws { field(v, k) }
        mutating func encode(_ v: Int, forKey k: Key) throws { field(v, k) }
        mutating func encode(_ v: Int64, forKey k: Key) throws { field(v, k) }
        mutating func encode(_ v: Double, forKey k: Key) throws { field(v, k) }
        mutating func encode(_ v: Bool, forKey k: Key) throws { field(v, k) }

        mutating func encodeIfPresent(_ v: String?, forKey k: Key) throws { field(v, k) }
        mutating func encodeIfPresent(_ v: Int?, forKey k: Key) throws { field(v, k) }
        mutating func encodeIfPresent(_ v: Int64?, forKey k: Key) throws { field(v, k) }
        mutating func encodeIfPresent(_ v: Double?, forKey k: Key) throws { field(v, k) }
        mutating func encodeIfPresent(_ v: Bool?, forKey k: Key) throws { field(v, k) }

        /// Any other member: months, dates, lists, a nested record (as an object).
        mutating func encode<T: Encodable>(_ v: T, forKey k: Key) throws {
            recorder?.note(k, T.self)
            try write(v, k)
        }
        /// Any other optional member.
        mutating func encodeIfPresent<T: Encodable>(_ v: T?, forKey k: Key) throws {
            recorder?.note(k, T?.self)
            if let v { try write(v, k) } else { writeNil(k) }
        }

        private func writeNil(_ k: Key) {
            line.key(keys.key(k))
            line.null()
        }

        private func write<T: Encodable>(_ v: T, _ k: Key) throws {
            // Months and dates are in most rows: a metadata comparison finds them, where the cast
            // to `any RecordFieldValue` below would look the conformance up for every member.
            if T.self == Month.self {
                put(unsafeBitCast(v, to: Month.self), k)
            } else if T.self == Day.self {
                put(unsafeBitCast(v, to: Day.self), k)
            } else if let f = v as? any RecordFieldValue {
                put(f, k)
            } else {
                line.key(keys.key(k))
                line.beginObject()
                try line.members(of: v)
                line.endObject()
            }
        }

        // Inlined into the typed overloads above, so the value's type is concrete there.
        @inline(__always)
        private func field<F: RecordFieldValue>(_ v: F?, _ k: Key) {
            recorder?.note(k, F?.self)
            put(v, k)
        }
        @inline(__always)
        private func field<F: RecordFieldValue>(_ v: F, _ k: Key) {
            recorder?.note(k, F.self)
            put(v, k)
        }
        @inline(__always)
        private func put(_ v: (some RecordFieldValue)?, _ k: Key) {
            line.key(keys.key(k))
            if let v { v.write(to: line) } else { line.null() }
        }

        // A record's members are flat: nested containers and super encoders write into the same object.
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type, forKey k: Key) -> KeyedEncodingContainer<N> {
            recorder?.refuse()
            return KeyedEncodingContainer(MemberWriter<N>(line: line, keys: RecordKeyCursor(N.self), recorder: nil))
        }
        mutating func nestedUnkeyedContainer(forKey k: Key) -> any UnkeyedEncodingContainer {
            recorder?.refuse()
            return Unkeyed()
        }
        mutating func superEncoder() -> any Encoder {
            recorder?.refuse()
            return RecordEncoder(line: line)
        }
        mutating func superEncoder(forKey k: Key) -> any Encoder {
            recorder?.refuse()
            return RecordEncoder(line: line)
        }
    }

    /// What the codec refuses: values without a member name (lists other than `[String]`, bare
    /// values of types that are not `RecordFieldValue`s, such as `Int32` or `Float`).
    struct Unkeyed: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }

        mutating func encodeNil() throws { throw Unkeyed.refused(Int?.none as Any) }
        mutating func encode<T: Encodable>(_ v: T) throws { throw Unkeyed.refused(v) }
        static func refused(_ v: Any) -> EncodingError {
            EncodingError.invalidValue(
                v, .init(codingPath: [], debugDescription: "a record member must be a RecordFieldValue or a record"))
        }
        // No record asks for these: what is written through them has no object to go to and is dropped.
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type) -> KeyedEncodingContainer<N> {
            KeyedEncodingContainer(
                MemberWriter<N>(line: JSONLineBuilder(), keys: RecordKeyCursor(N.self), recorder: nil))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed() }
        mutating func superEncoder() -> any Encoder { RecordEncoder(line: JSONLineBuilder()) }
    }
}
