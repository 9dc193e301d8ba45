import Foundation
// `_forEachField`, the standard library's reflection entry point under `Mirror`, lists a type's
// stored properties with their names, offsets and types, without a value to reflect.
@_spi(Reflection) import Swift

/// A record type's member table: for each stored property, in declaration order, its key, its
/// value kind and its offset in the value, so that later rows are written and read straight from
/// and into the record's memory, without the keyed containers of `Codable`.
///
/// A table is made once per record type, on its first row, and only for a struct whose members
/// are all of the kinds below; it is kept only when the type's `Codable` conformance asks for
/// exactly these members, in this order, with these types (a synthesized conformance does), and
/// the first row reads or writes the same through both. Any other type keeps the `Codable` path.
/// Debug builds check every row against `Codable` (every test then checks the table).
final class RecordTable: Sendable {
    /// A member value's kind: the `RecordTableValue` types the codec writes and reads itself.
    enum Kind: Sendable, CaseIterable {
        case string, int, int64, double, bool, month, day, strings

        /// Does `action` with the kind's value type: the one place a kind becomes its type, so
        /// each thing done with a member is written once, generic over the type.
        @inline(__always)
        func apply<A: RecordTableAction>(_ action: A) -> A.Result {
            switch self {
            case .string: return action(String.self)
            case .int: return action(Int.self)
            case .int64: return action(Int64.self)
            case .double: return action(Double.self)
            case .bool: return action(Bool.self)
            case .month: return action(Month.self)
            case .day: return action(Day.self)
            case .strings: return action([String].self)
            }
        }
    }

    /// One stored property: where it is, what it holds, and where its key is in `quoted` (plain
    /// values only, so that walking the members costs no reference counting).
    struct Member: Sendable {
        let kind: Kind
        let optional: Bool
        let offset: Int
        /// `"name":` is `quoted[keyStart..<keyStart + keyCount]`; the name is inside the quotes.
        let keyStart: Int
        let keyCount: Int
    }

    let members: [Member]
    /// Every member's `"name":`, one after the other.
    let quoted: [UInt8]
    /// Every member's key, for the errors that name it.
    let keys: [RecordKey]

    private init(members: [Member], keys: [RecordKey]) {
        self.members = members
        self.keys = keys
        quoted = keys.flatMap(\.quoted)
    }

    /// The kinds by value type, plain and optional.
    private static let kinds: [ObjectIdentifier: (Kind, Bool)] = {
        // A value type's identity, plain and optional.
        struct Types: RecordTableAction {
            func callAsFunction<F: RecordTableValue>(_: F.Type) -> (ObjectIdentifier, ObjectIdentifier) {
                (ObjectIdentifier(F.self), ObjectIdentifier(F?.self))
            }
        }
        var k: [ObjectIdentifier: (Kind, Bool)] = [:]
        for kind in Kind.allCases {
            let (plain, optional) = kind.apply(Types())
            k[plain] = (kind, false)
            k[optional] = (kind, true)
        }
        return k
    }()

    /// The table of `R`, a struct, when every stored property is of a kind above and `asked` (the
    /// members its `Codable` conformance asked for, in order) names them in declaration order with
    /// their types; nil otherwise.
    static func make<R>(_ type: R.Type, asked: [RecordKeyRecorder.Entry]) -> RecordTable? {
        // A hand-written conformance may agree with the table on its first row only.
        if R.self is RecordCodedByHand.Type { return nil }
        var members: [Member] = []
        var keys: [RecordKey] = []
        var keyStart = 0
        var supported = true
        let isStructure = _forEachField(of: R.self, options: []) { name, offset, fieldType, _ in
            guard let (kind, optional) = kinds[ObjectIdentifier(fieldType)] else {
                supported = false
                return false
            }
            let key = RecordKey(member: String(cString: name))
            members.append(
                Member(kind: kind, optional: optional, offset: offset, keyStart: keyStart, keyCount: key.quoted.count))
            keys.append(key)
            keyStart += key.quoted.count
            return true
        }
        // Offsets of a class's properties are into its object, not into the reference.
        guard !(R.self is AnyObject.Type), isStructure, supported, members.count == asked.count, !members.isEmpty else {
            return nil
        }
        for (m, (key, a)) in zip(members, zip(keys, asked)) {
            guard key.name == RecordKey.snakeCase(a.name), let k = kinds[a.type], k == (m.kind, m.optional)
            else { return nil }
        }
        return RecordTable(members: members, keys: keys)
    }

    // MARK: Writing

    /// Appends `record`'s members to the object being written, as `RecordEncoder` does.
    func write<R>(_ record: R, to line: JSONLineBuilder) {
        withUnsafePointer(to: record) { p in
            let base = UnsafeRawPointer(p)
            quoted.withUnsafeBufferPointer { q in
                members.withUnsafeBufferPointer { ms in
                    for m in ms {
                        line.key(quoted: UnsafeBufferPointer(rebasing: q[m.keyStart..<(m.keyStart + m.keyCount)]))
                        m.kind.apply(Put(at: base + m.offset, optional: m.optional, line: line))
                    }
                }
            }
        }
    }

    /// Writes the member at `at` to `line`.
    private struct Put: RecordTableAction {
        let at: UnsafeRawPointer
        let optional: Bool
        let line: JSONLineBuilder

        @inline(__always)
        func callAsFunction<F: RecordTableValue>(_: F.Type) {
            if optional {
                if let v = at.assumingMemoryBound(to: F?.self).pointee { v.write(to: line) } else { line.null() }
            } else {
                at.assumingMemoryBound(to: F.self).pointee.write(to: line)
            }
        }
    }

    // MARK: Reading

    /// Reads a `R` from the current line of `r`, as `RecordDecoder` does: each member's value
    /// found as `RecordFieldValue.read` finds it (the search starting after the member found
    /// last, so a line in the writer's order takes one comparison per member), a missing or
    /// unreadable optional as nil, a missing required one as its `whenMissing` or an error.
    func read<R>(_ type: R.Type, from r: JSONLReader) throws -> R {
        try withUnsafeTemporaryAllocation(of: R.self, capacity: 1) { buffer -> R in
            guard let typed = buffer.baseAddress else { throw RecordDecoder.unkeyed }
            let base = UnsafeMutableRawPointer(typed)
            var made = 0
            do {
                try quoted.withUnsafeBufferPointer { q in
                    guard let qb = q.baseAddress else { return }
                    try members.withUnsafeBufferPointer { ms in
                        for (i, m) in ms.enumerated() {
                            // The name is between `"` and `":`.
                            let idx = r.find(key: qb + m.keyStart + 1, count: m.keyCount - 3)
                            guard m.kind.apply(Store(at: base + m.offset, optional: m.optional, index: idx, reader: r))
                            else { throw r.malformed(keys[i], "missing") }
                            made += 1
                        }
                    }
                }
            } catch {
                // Members read before the failing one own their values: release them.
                for m in members[..<made] { m.kind.apply(Release(at: base + m.offset, optional: m.optional)) }
                throw error
            }
            return typed.move()
        }
    }

    /// Reads the member's value at field `index` of the reader's line (nil: the member is missing)
    /// and stores it at `at`: a missing or unreadable optional as nil, a missing required one as
    /// its `whenMissing`; false, storing nothing, when a required one has none.
    private struct Store: RecordTableAction {
        let at: UnsafeMutableRawPointer
        let optional: Bool
        let index: Int?
        // Held strongly: an `unowned(unsafe)` reference made reading slower, and `flatMap` with
        // the reader's methods would retain the reader for every member (hence plain calls).
        let reader: JSONLReader

        @inline(__always)
        func callAsFunction<F: RecordTableValue>(_: F.Type) -> Bool {
            var v: F? = nil
            if let index { v = F.read(reader, at: index) }
            if optional {
                at.initializeMemory(as: F?.self, repeating: v, count: 1)
            } else {
                guard let v = v ?? F.whenMissing else { return false }
                at.initializeMemory(as: F.self, repeating: v, count: 1)
            }
            return true
        }
    }

    /// Releases the member stored at `at`.
    private struct Release: RecordTableAction {
        let at: UnsafeMutableRawPointer
        let optional: Bool

        func callAsFunction<F: RecordTableValue>(_: F.Type) {
            if optional {
                at.assumingMemoryBound(to: F?.self).deinitialize(count: 1)
            } else {
                at.assumingMemoryBound(to: F.self).deinitialize(count: 1)
            }
        }
    }

    // MARK: Checking

    /// Whether `a` and `b` hold the same members (doubles by bits, so NaN equals NaN).
    func same<R>(_ a: R, _ b: R) -> Bool {
        withUnsafePointer(to: a) { pa in
            withUnsafePointer(to: b) { pb in
                members.allSatisfy { m in
                    m.kind.apply(
                        Same(
                            x: UnsafeRawPointer(pa) + m.offset, y: UnsafeRawPointer(pb) + m.offset, optional: m.optional
                        ))
                }
            }
        }
    }

    /// Whether the members at `x` and `y` are the same (`RecordTableValue.same`).
    private struct Same: RecordTableAction {
        let x: UnsafeRawPointer
        let y: UnsafeRawPointer
        let optional: Bool

        func callAsFunction<F: RecordTableValue>(_: F.Type) -> Bool {
            guard optional else {
                return F.same(x.assumingMemoryBound(to: F.self).pointee, y.assumingMemoryBound(to: F.self).pointee)
            }
            switch (x.assumingMemoryBound(to: F?.self).pointee, y.assumingMemoryBound(to: F?.self).pointee) {
            case (nil, nil): return true
            case (let a?, let b?): return F.same(a, b)
            default: return false
            }
        }
    }
}

/// Something done with a table member, generic over its value type (`RecordTable.Kind.apply`).
protocol RecordTableAction {
    associatedtype Result
    func callAsFunction<F: RecordTableValue>(_ type: F.Type) -> Result
}

/// A member value type a `RecordTable` holds: read from a value found on the reader's line, and
/// compared as the debug check compares rows.
protocol RecordTableValue: RecordFieldValue {
    /// The value at field `idx` of `r`'s current line, as `RecordFieldValue.read` reads it.
    static func read(_ r: JSONLReader, at idx: Int) -> Self?
    /// Whether `a` and `b` are the same value.
    static func same(_ a: Self, _ b: Self) -> Bool
}

extension RecordTableValue where Self: Equatable {
    static func same(_ a: Self, _ b: Self) -> Bool { a == b }
}

extension String: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> String? { r.stringValue(at: idx) }
}

extension Int: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Int? { r.int(at: idx).map { Int($0) } }
}

extension Int64: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Int64? { r.int(at: idx) }
}

extension Double: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Double? { r.double(at: idx) }
    /// By bits, so that NaN is the same as NaN.
    static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
}

extension Bool: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Bool? { r.bool(at: idx) }
}

extension Month: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Month? { r.stringValue(at: idx).flatMap { Month(text: $0) } }
}

extension Day: RecordTableValue {
    static func read(_ r: JSONLReader, at idx: Int) -> Day? { r.stringValue(at: idx).flatMap { Day(text: $0) } }
}

extension Array: RecordTableValue where Element == String {
    static func read(_ r: JSONLReader, at idx: Int) -> [String]? { r.strings(at: idx) }
}

/// The members a record's `Codable` conformance asks a coder for, in order, with their value
/// types (an optional member's as `Optional`), so a `RecordTable` can be checked against them.
final class RecordKeyRecorder {
    struct Entry {
        let name: String
        let type: ObjectIdentifier
    }
    private(set) var entries: [Entry] = []
    /// Set when the conformance asked for something a table cannot stand for (a nested
    /// container, a super coder, a bare null).
    private(set) var refused = false

    func note<T>(_ member: some CodingKey, _ type: T.Type) {
        entries.append(Entry(name: member.stringValue, type: ObjectIdentifier(T.self)))
    }
    func refuse() { refused = true }
}

/// What is known of a record type's table: none made yet, one, or none possible.
enum RecordTableState {
    case untried
    case table(RecordTable)
    case refused
}

/// The tables made so far, for writing and for reading (a type's two conformances are checked
/// separately), shared by every thread.
final class RecordTables: @unchecked Sendable {
    static let shared = RecordTables()

    private let lock = NSLock()
    /// Keyed by type and direction: a type's table for writing and for reading are made apart.
    private var states: [Slot: RecordTableState] = [:]
    private struct Slot: Hashable {
        let type: ObjectIdentifier
        let writing: Bool
    }

    func writer(_ type: Any.Type) -> RecordTableState { state(type, writing: true) }
    func setWriter(_ type: Any.Type, _ state: RecordTableState) { set(type, writing: true, state) }
    func reader(_ type: Any.Type) -> RecordTableState { state(type, writing: false) }
    func setReader(_ type: Any.Type, _ state: RecordTableState) { set(type, writing: false, state) }

    private func state(_ type: Any.Type, writing: Bool) -> RecordTableState {
        lock.lock()
        defer { lock.unlock() }
        return states[Slot(type: ObjectIdentifier(type), writing: writing)] ?? .untried
    }
    private func set(_ type: Any.Type, writing: Bool, _ state: RecordTableState) {
        lock.lock()
        defer { lock.unlock() }
        states[Slot(type: ObjectIdentifier(type), writing: writing)] = state
    }
}

/// A record whose `encode(to:)` or `init(from:)` is written by hand: it never gets a member table,
/// since a table checked against its first row could read or write later rows otherwise.
protocol RecordCodedByHand {}

/// The table states a builder or reader met last, by type (a few: a file's records and the
/// records nested in them), so a row asks the shared, locked `RecordTables` only on a miss.
struct RecordTableCache {
    private var known: [(type: ObjectIdentifier, state: RecordTableState)] = []

    /// `R`'s state: remembered, else the shared one (remembered once decided).
    mutating func state<R>(_ type: R.Type, writing: Bool) -> RecordTableState {
        let id = ObjectIdentifier(R.self)
        for k in known where k.type == id { return k.state }
        let state = writing ? RecordTables.shared.writer(R.self) : RecordTables.shared.reader(R.self)
        if case .untried = state { return state }
        if known.count == 8 { known.removeFirst() }
        known.append((id, state))
        return state
    }
}
