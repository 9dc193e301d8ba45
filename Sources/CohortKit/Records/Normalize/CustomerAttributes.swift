/// Every customer's attributes (`normalize/customers.jsonl`'s `attributes` object), interned:
/// attribute names and values are each numbered once, and a customer holds its (name, value)
/// numbers in one flat array. A million customers with a few attributes take a few bytes each,
/// where two `String`s per attribute in an array per customer took hundreds.
///
/// Values keep their text as read, byte for byte (two spellings of one text in Unicode are two
/// values, as they were two texts): a string's text, a number as written, `true` or `false`;
/// nulls, arrays and objects are left out. Names are looked up as `String`s compare.
public struct CustomerAttributes: Sendable {
    /// Attribute names, numbered in order of first appearance.
    public private(set) var names = StringTable()
    /// Attribute values, numbered in order of first appearance (over all names).
    public private(set) var values: [String] = []
    private var valueIDs: [ExactText: Int32] = [:]
    /// (name, value) numbers of every customer in turn.
    private var pairs: [Int32] = []
    /// Where each customer's pairs end in `pairs` (in `Int32`s).
    private var ends: [Int] = []
    /// While reading raw objects: the first `rememberedObjects` distinct objects and their runs of
    /// pairs, so customers who share an object (most do when attributes have few values) cost a
    /// hash of its bytes. Customers whose objects are all different (thirty attributes of
    /// thirty-five values each) are read member by member with no more held than that.
    private var objects = ByteInterner()
    private var objectRuns: [[Int32]] = []
    static let rememberedObjects = 1 << 16
    /// Names and values met so far by their bytes, with their numbers
    /// in `names` and `values`, so a member costs a hash of its value and a comparison of its
    /// name with the one at its place in the object read last (`layout`), not a parse.
    private var rawNames = ByteInterner()
    private var rawNameIDs: [Int32] = []
    private var rawValues = ByteInterner()
    private var rawValueIDs: [Int32] = []
    /// The `rawNames` numbers of the last plain object's names, in order.
    private var layout: [Int32] = []
    /// Scratch for the object being read: its members' (name start, name end, value start,
    /// value end) and their names' `rawNames` numbers (-1 for a name not met before).
    private var spans: [Int] = []
    private var memberNames: [Int32] = []
    /// Per name number: the customer whose object named it last (a repeated name is a
    /// duplicate key).
    private var nameSeenBy: [Int] = []
    /// Objects read so far through the JSON parser rather than from their bytes (for tests).
    private(set) var parsedObjects = 0

    public init() {}

    /// Customers held.
    public var count: Int { ends.count }

    private mutating func valueID(_ text: String) -> Int32 {
        let key = ExactText(text)
        if let id = valueIDs[key] { return id }
        let id = Int32(values.count)
        values.append(text)
        valueIDs[key] = id
        return id
    }

    /// Appends the next customer's attributes, in order.
    public mutating func append<S: Sequence<(String, String)>>(_ attributes: S) {
        for (name, value) in attributes {
            pairs.append(names.id(name))
            pairs.append(valueID(value))
        }
        ends.append(pairs.count)
    }

    /// Appends the next customer's attributes from a parsed `attributes` object: strings, numbers
    /// and booleans by their text; other values are left out.
    public mutating func append(object: JSONValue?) {
        if case .object(let members)? = object {
            append(
                members.lazy.compactMap { (name, v) -> (String, String)? in
                    switch v {
                    case .string(let s): (name, s)
                    case .number(let n): (name, n)
                    case .bool(let b): (name, b ? "true" : "false")
                    default: nil
                    }
                })
        } else {
            ends.append(pairs.count)
        }
    }

    /// Appends the next customer's attributes from the raw text of its `attributes` value, as
    /// `append(object:)` would from that text parsed (text that does not parse gives none).
    ///
    /// A plain object (no whitespace between its tokens; names and values ASCII strings without
    /// escapes, or `true` and `false`: what normalize writes for almost every customer) is read
    /// from its bytes here, whatever its number of members; a repeated name gives none, as the
    /// parser's refusal does; anything else is parsed. Both number names and values in order of
    /// first appearance, so the tables are the same either way.
    public mutating func append(rawObject raw: UnsafeBufferPointer<UInt8>) {
        if let k = objects.lookup(raw) {
            pairs.append(contentsOf: objectRuns[Int(k)])
            ends.append(pairs.count)
            return
        }
        let start = pairs.count
        read(rawObject: raw)
        if objects.count < Self.rememberedObjects {
            _ = objects.id(raw)
            objectRuns.append(Array(pairs[start...]))
        }
    }

    /// `append(rawObject:)` for an object not remembered.
    private mutating func read(rawObject raw: UnsafeBufferPointer<UInt8>) {
        func parsed() {
            parsedObjects += 1
            append(object: try? JSONParser.parse(Array(raw)))
        }
        guard scanPlain(raw) else { return parsed() }
        let m = memberNames.count
        /// The bytes of member `t`'s name and value.
        func name(_ t: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: raw[spans[4 * t]..<spans[4 * t + 1]])
        }
        func value(_ t: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: raw[spans[4 * t + 2]..<spans[4 * t + 3]])
        }
        var unknown = false
        for t in 0..<m {
            let name = name(t)
            if t < layout.count, rawNames.string(layout[t], is: name) {
                memberNames[t] = layout[t]
            } else if let k = rawNames.lookup(name) {
                memberNames[t] = k
            } else {
                unknown = true
            }
        }
        if unknown {
            // A name not met before: compare the names by their bytes (ASCII: as the parser's
            // duplicate check compares them) before numbering any; a pair at a time for a few
            // members, through a set for more (linear in the members). Once numbered, the names
            // are known, and the next objects with them are read here too.
            if m <= 8 {
                for t in 0..<m {
                    for u in 0..<t where UTF8Order.equal(name(t), name(u)) { return append(object: nil) }
                }
            } else {
                var distinct = Set<ExactText>(minimumCapacity: m)
                for t in 0..<m {
                    let (isNew, _) = distinct.insert(ExactText(String(decoding: name(t), as: UTF8.self)))
                    if !isNew { return append(object: nil) }
                }
            }
            for t in 0..<m where memberNames[t] < 0 {
                let name = name(t)
                let k = rawNames.id(name)
                if Int(k) == rawNameIDs.count { rawNameIDs.append(names.id(String(decoding: name, as: UTF8.self))) }
                memberNames[t] = k
            }
        } else {
            for t in 0..<m {
                let k = Int(memberNames[t])
                if k >= nameSeenBy.count {
                    nameSeenBy.append(contentsOf: repeatElement(-1, count: k + 1 - nameSeenBy.count))
                }
                if nameSeenBy[k] == count { return append(object: nil) }
                nameSeenBy[k] = count
            }
        }
        for t in 0..<m {
            let v = value(t)
            let k = rawValues.id(v)
            if Int(k) == rawValueIDs.count { rawValueIDs.append(valueID(String(decoding: v, as: UTF8.self))) }
            pairs.append(rawNameIDs[Int(memberNames[t])])
            pairs.append(rawValueIDs[Int(k)])
        }
        ends.append(pairs.count)
        layout.removeAll(keepingCapacity: true)
        layout.append(contentsOf: memberNames)
    }

    /// Reads `raw` as a plain object into `spans` and `memberNames` (all -1); false when it is
    /// not one. A string's span is its text (without quotes); `true`'s and `false`'s the word.
    private mutating func scanPlain(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        spans.removeAll(keepingCapacity: true)
        memberNames.removeAll(keepingCapacity: true)
        let n = raw.count
        guard n >= 2, raw[0] == UInt8(ascii: "{") else { return false }
        if n == 2 { return raw[1] == UInt8(ascii: "}") }
        /// The end of the plain string whose opening quote is at `q` (its closing quote), or nil.
        func plainString(from q: Int) -> Int? {
            guard q < n, raw[q] == UInt8(ascii: "\"") else { return nil }
            var j = q + 1
            while j < n {
                let c = raw[j]
                if c == UInt8(ascii: "\"") { return j }
                guard c >= 0x20, c < 0x80, c != UInt8(ascii: "\\") else { return nil }
                j += 1
            }
            return nil
        }
        func word(_ w: StaticString, at i: Int) -> Bool {
            let c = w.utf8CodeUnitCount
            guard n - i >= c else { return false }
            for k in 0..<c where raw[i + k] != w.utf8Start[k] { return false }
            return true
        }
        var i = 1
        while true {
            guard let keyEnd = plainString(from: i), keyEnd + 1 < n, raw[keyEnd + 1] == UInt8(ascii: ":") else {
                return false
            }
            let keyStart = i + 1
            let vs = keyEnd + 2
            let valueStart: Int
            let valueEnd: Int
            if let e = plainString(from: vs) {
                valueStart = vs + 1
                valueEnd = e
                i = e + 1
            } else if word("true", at: vs) {
                valueStart = vs
                valueEnd = vs + 4
                i = valueEnd
            } else if word("false", at: vs) {
                valueStart = vs
                valueEnd = vs + 5
                i = valueEnd
            } else {
                return false
            }
            spans.append(keyStart)
            spans.append(keyEnd)
            spans.append(valueStart)
            spans.append(valueEnd)
            memberNames.append(-1)
            guard i < n else { return false }
            if raw[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            return raw[i] == UInt8(ascii: "}") && i == n - 1
        }
    }

    /// Frees what `append(rawObject:)` remembers, once the customers are read.
    public mutating func finishReading() {
        objects = ByteInterner()
        objectRuns = []
        rawNames = ByteInterner()
        rawNameIDs = []
        rawValues = ByteInterner()
        rawValueIDs = []
        layout = []
        spans = []
        memberNames = []
        nameSeenBy = []
    }

    /// Appends the customers of `other` (a later part of the same file), renumbering its names and
    /// values into this table's.
    public mutating func append(contentsOf other: CustomerAttributes) {
        let nameOf = other.names.names.map { names.id($0) }
        let valueOf = other.values.map { valueID($0) }
        let base = pairs.count
        pairs.reserveCapacity(base + other.pairs.count)
        var k = 0
        while k < other.pairs.count {
            pairs.append(nameOf[Int(other.pairs[k])])
            pairs.append(valueOf[Int(other.pairs[k + 1])])
            k += 2
        }
        ends.append(contentsOf: other.ends.lazy.map { base + $0 })
    }

    /// The number of customer `i`'s first value for attribute `name` (in `values`), nil when the
    /// customer does not have it.
    public func value(of name: Int32, customer i: Int) -> Int32? {
        var k = i == 0 ? 0 : ends[i - 1]
        let end = ends[i]
        while k < end {
            if pairs[k] == name { return pairs[k + 1] }
            k += 2
        }
        return nil
    }

    /// Customer `i`'s attributes as (name, value) text, in order.
    public func attributes(of i: Int) -> [(String, String)] {
        var out: [(String, String)] = []
        var k = i == 0 ? 0 : ends[i - 1]
        while k < ends[i] {
            out.append((names[pairs[k]], values[Int(pairs[k + 1])]))
            k += 2
        }
        return out
    }
}

/// A `String` that equals and hashes by its UTF-8 bytes, not by Unicode canonical equivalence.
struct ExactText: Hashable, Sendable {
    let text: String
    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool {
        var (x, y) = (a.text, b.text)
        return x.withUTF8 { u in y.withUTF8 { v in UTF8Order.equal(u, v) } }
    }

    func hash(into h: inout Hasher) {
        var t = text
        t.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
