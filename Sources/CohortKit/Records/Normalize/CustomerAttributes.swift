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
    /// While reading: each distinct raw `attributes` object met so far and its run of pairs, so
    /// customers who share an object (most do) cost one hash of its bytes, not a parse.
    private var objects = ByteInterner()
    private var objectRuns: [[Int32]] = []

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
    /// `append(object:)` would from that text parsed (text that does not parse gives none); an
    /// object seen before is not parsed again.
    public mutating func append(rawObject raw: UnsafeBufferPointer<UInt8>) {
        let k = Int(objects.id(raw))
        if k < objectRuns.count {
            pairs.append(contentsOf: objectRuns[k])
            ends.append(pairs.count)
            return
        }
        let start = pairs.count
        append(object: try? JSONParser.parse(Array(raw)))
        objectRuns.append(Array(pairs[start...]))
    }

    /// Frees what `append(rawObject:)` remembers, once the customers are read.
    public mutating func finishReading() {
        objects = ByteInterner()
        objectRuns = []
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
