/// Remembers the last string seen in one field and what it was mapped to.
///
/// Stage inputs come grouped by customer, and products and plans repeat from row to row, so most
/// rows carry the same value as the row before. Comparing bytes in place skips building a
/// `String` and hashing it into a dictionary on those rows.
public struct RepeatedValueCache<Value> {
    private var bytes: [UInt8] = []
    private var value: Value?

    public init() {}

    /// The cached value when `b` holds exactly the bytes last stored.
    public func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let value else { return nil }
        return bytes.withUnsafeBufferPointer { UTF8Order.equal($0, b) } ? value : nil
    }

    /// Remembers `v` for exactly the bytes `b`.
    public mutating func store(bytes b: UnsafeBufferPointer<UInt8>, _ v: Value) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: b)
        value = v
    }

    public mutating func store(_ text: String, _ v: Value) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text.utf8)
        value = v
    }
}

extension JSONLReader {
    /// The value a string field maps to: from `cache` when the field repeats the last row's text,
    /// otherwise `make(text)`, which is then cached. Nil when the field is absent, not a string,
    /// or `make` returns nil.
    public func mapped<V>(_ key: StaticString, _ cache: inout RepeatedValueCache<V>, _ make: (String) throws -> V?)
        rethrows -> V?
    {
        if let hit = withStringBytes(key, { cache.lookup($0) }), let v = hit { return v }
        guard let text = string(key), let v = try make(text) else { return nil }
        cache.store(text, v)
        return v
    }
}
