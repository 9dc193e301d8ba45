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
    /// A member value's kind: the `RecordFieldValue` types the codec writes and reads itself.
    enum Kind: Sendable { case string, int, int64, double, bool, month, day, strings }

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
        var k: [ObjectIdentifier: (Kind, Bool)] = [:]
        func add<T>(_ t: T.Type, _ kind: Kind) {
            k[ObjectIdentifier(T.self)] = (kind, false)
            k[ObjectIdentifier(T?.self)] = (kind, true)
        }
        add(String.self, .string)
        add(Int.self, .int)
        add(Int64.self, .int64)
        add(Double.self, .double)
        add(Bool.self, .bool)
        add(Month.self, .month)
        add(Day.self, .day)
        add([String].self, .strings)
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
                        let at = base + m.offset
                        switch m.kind {
                        case .string: put(String.self, at, m.optional, line)
                        case .int: put(Int.self, at, m.optional, line)
                        case .int64: put(Int64.self, at, m.optional, line)
                        case .double: put(Double.self, at, m.optional, line)
                        case .bool: put(Bool.self, at, m.optional, line)
                        case .month: put(Month.self, at, m.optional, line)
                        case .day: put(Day.self, at, m.optional, line)
                        case .strings: put([String].self, at, m.optional, line)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func put<F: RecordFieldValue>(_: F.Type, _ at: UnsafeRawPointer, _ optional: Bool, _ line: JSONLineBuilder)
    {
        if optional {
            if let v = at.assumingMemoryBound(to: F?.self).pointee { v.write(to: line) } else { line.null() }
        } else {
            at.assumingMemoryBound(to: F.self).pointee.write(to: line)
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
                            let at = base + m.offset
                            // The name is between `"` and `":`. The values are read by plain calls,
                            // not `flatMap` with the reader's methods, which would retain the
                            // reader for every member.
                            guard let idx = r.find(key: qb + m.keyStart + 1, count: m.keyCount - 3) else {
                                try storeMissing(m, at, i, r)
                                made += 1
                                continue
                            }
                            switch m.kind {
                            case .string: try store(r.stringValue(at: idx), at, m, i, r)
                            case .int: try store(r.int(at: idx).map { Int($0) }, at, m, i, r)
                            case .int64: try store(r.int(at: idx), at, m, i, r)
                            case .double: try store(r.double(at: idx), at, m, i, r)
                            case .bool: try store(r.bool(at: idx), at, m, i, r)
                            case .month: try store(r.stringValue(at: idx).flatMap { Month(text: $0) }, at, m, i, r)
                            case .day: try store(r.stringValue(at: idx).flatMap { Day(text: $0) }, at, m, i, r)
                            case .strings: try store(r.strings(at: idx), at, m, i, r)
                            }
                            made += 1
                        }
                    }
                }
            } catch {
                // Members read before the failing one own their values: release them.
                for m in members[..<made] { release(m, base + m.offset) }
                throw error
            }
            return typed.move()
        }
    }

    @inline(__always)
    private func store<F: RecordFieldValue>(
        _ v: F?, _ at: UnsafeMutableRawPointer, _ m: Member, _ i: Int, _ r: JSONLReader
    ) throws {
        if m.optional {
            at.initializeMemory(as: F?.self, repeating: v, count: 1)
        } else {
            guard let v = v ?? F.whenMissing else { throw r.malformed(keys[i], "missing") }
            at.initializeMemory(as: F.self, repeating: v, count: 1)
        }
    }

    /// Stores what a missing member reads as.
    private func storeMissing(_ m: Member, _ at: UnsafeMutableRawPointer, _ i: Int, _ r: JSONLReader) throws {
        switch m.kind {
        case .string: try store(String?.none, at, m, i, r)
        case .int: try store(Int?.none, at, m, i, r)
        case .int64: try store(Int64?.none, at, m, i, r)
        case .double: try store(Double?.none, at, m, i, r)
        case .bool: try store(Bool?.none, at, m, i, r)
        case .month: try store(Month?.none, at, m, i, r)
        case .day: try store(Day?.none, at, m, i, r)
        case .strings: try store([String]?.none, at, m, i, r)
        }
    }

    private func release(_ m: Member, _ at: UnsafeMutableRawPointer) {
        func drop<F>(_: F.Type) {
            if m.optional {
                at.assumingMemoryBound(to: F?.self).deinitialize(count: 1)
            } else {
                at.assumingMemoryBound(to: F.self).deinitialize(count: 1)
            }
        }
        switch m.kind {
        case .string: drop(String.self)
        case .int: drop(Int.self)
        case .int64: drop(Int64.self)
        case .double: drop(Double.self)
        case .bool: drop(Bool.self)
        case .month: drop(Month.self)
        case .day: drop(Day.self)
        case .strings: drop([String].self)
        }
    }

    // MARK: Checking

    /// Whether `a` and `b` hold the same members (doubles by bits, so NaN equals NaN).
    func same<R>(_ a: R, _ b: R) -> Bool {
        withUnsafePointer(to: a) { pa in
            withUnsafePointer(to: b) { pb in
                members.allSatisfy { m in
                    let x = UnsafeRawPointer(pa) + m.offset
                    let y = UnsafeRawPointer(pb) + m.offset
                    switch m.kind {
                    case .string: return equal(String.self, x, y, m.optional)
                    case .int: return equal(Int.self, x, y, m.optional)
                    case .int64: return equal(Int64.self, x, y, m.optional)
                    case .double:
                        let bits = { (p: UnsafeRawPointer) -> UInt64? in
                            m.optional
                                ? p.assumingMemoryBound(to: Double?.self).pointee.map(\.bitPattern)
                                : p.assumingMemoryBound(to: Double.self).pointee.bitPattern
                        }
                        return bits(x) == bits(y)
                    case .bool: return equal(Bool.self, x, y, m.optional)
                    case .month: return equal(Month.self, x, y, m.optional)
                    case .day: return equal(Day.self, x, y, m.optional)
                    case .strings: return equal([String].self, x, y, m.optional)
                    }
                }
            }
        }
    }

    private func equal<F: Equatable>(_: F.Type, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ optional: Bool) -> Bool
    {
        optional
            ? x.assumingMemoryBound(to: F?.self).pointee == y.assumingMemoryBound(to: F?.self).pointee
            : x.assumingMemoryBound(to: F.self).pointee == y.assumingMemoryBound(to: F.self).pointee
    }
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
