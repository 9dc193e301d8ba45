/// Reads one JSON object of the configuration strictly: typed getters with defaults, and
/// `finish()` rejects any key that was not read (a typo like `max_offset_month` is an error, not
/// a silently ignored setting).
struct ConfigObject {
    let file: String
    let path: String
    let pairs: [(String, JSONValue)]
    /// Position of each key in `pairs`, so reading every key of a 40,000-key object (rates,
    /// reason categories) is linear rather than a scan per key.
    private let position: [String: Int]
    private(set) var used: Set<String> = []

    init(file: String, path: String, value: JSONValue?) throws {
        self.file = file
        self.path = path
        switch value {
        case nil, .null?: pairs = []
        case .object(let p)?: pairs = p
        case let v?:
            throw ConfigError(
                file: file, keyPath: path, message: "expected an object, found \(v.typeName)",
                hint: "Write it as { ... } (see the README's pipeline.json reference).")
        }
        // The parser rejects duplicate keys; should a caller build one with duplicates, the
        // first wins, as the scan this replaces found it.
        position = Dictionary(pairs.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func raw(_ key: String) -> JSONValue? {
        used.insert(key)
        return position[key].map { pairs[$0].1 }
    }

    func fail(_ key: String, _ message: String, _ hint: String) -> ConfigError {
        ConfigError(file: file, keyPath: keyPath(key), message: message, hint: hint)
    }

    mutating func string(_ key: String, default def: String, allowed: [String]? = nil) throws -> String {
        guard let v = raw(key), !v.isNull else { return def }
        guard let s = v.stringValue else {
            throw fail(key, "expected a string, found \(v.typeName)", "Quote the value.")
        }
        if let allowed, !allowed.contains(s) {
            throw fail(
                key, "\"\(s)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))",
                "Use one of the listed values.")
        }
        return s
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let v = raw(key), !v.isNull else { return nil }
        guard let s = v.stringValue else {
            throw fail(key, "expected a string, found \(v.typeName)", "Quote the value.")
        }
        return s
    }

    mutating func double(_ key: String, default def: Double, range: ClosedRange<Double>) throws -> Double {
        try number(
            key, default: def, range: range, bounds: range, \.doubleValue,
            expected: { "expected a number, found \($0.typeName)" },
            hint: "Write a plain number.")
    }

    mutating func int(_ key: String, default def: Int, range: ClosedRange<Int>) throws -> Int {
        try number(
            key, default: def, range: range, bounds: Double(range.lowerBound)...Double(range.upperBound), \.intValue,
            expected: { "expected a whole number, found \($0.serialized())" },
            hint: "Write a whole number such as \(def).")
    }

    /// The number at `key` (`def` when absent or null), read by `value` and checked against `range`
    /// (`bounds` as doubles). A number outside the range is reported as out of range even when it
    /// cannot be read as a `T` (`1e19` for a whole number, `1e400` for a double, which reads as
    /// infinity); a number that is not zero but would read as 0 (`1e-400000`) is refused too;
    /// messages show the number as the file writes it, never as read.
    private mutating func number<T: Comparable>(
        _ key: String, default def: T, range: ClosedRange<T>, bounds: ClosedRange<Double>, _ value: (JSONValue) -> T?,
        expected: (JSONValue) -> String, hint: String
    ) throws -> T {
        guard let v = raw(key), !v.isNull else { return def }
        let outOfRange = fail(
            key, "\(v.serialized()) is out of range",
            "Use a value from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)).")
        if let d = v.doubleValue, !bounds.contains(d) { throw outOfRange }
        if v.underflowsToZero {
            throw fail(
                key, "\(v.serialized()) \(JSONValue.underflowMessage)",
                "Write 0 if zero is meant; otherwise use a value from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound))."
            )
        }
        guard let d = value(v) else { throw fail(key, expected(v), hint) }
        guard range.contains(d) else { throw outOfRange }
        return d
    }

    /// A range's end as a message shows it: `1` rather than `1.0`.
    private static func shown<T>(_ x: T) -> String {
        if let d = x as? Double, d.isFinite { return JSONValue.numberText(d) }
        return "\(x)"
    }

    /// The value at `key` as the file writes it (a number's own text), nil when absent; for
    /// messages about a value read already.
    func written(_ key: String) -> String? { position[key].map { pairs[$0].1.serialized() } }

    mutating func bool(_ key: String, default def: Bool) throws -> Bool {
        guard let v = raw(key), !v.isNull else { return def }
        guard let b = v.boolValue else {
            throw fail(key, "expected true or false, found \(v.typeName)", "Write true or false without quotes.")
        }
        return b
    }

    mutating func stringArray(_ key: String, default def: [String]) throws -> [String] {
        guard let v = raw(key), !v.isNull else { return def }
        guard let a = v.arrayValue else {
            throw fail(key, "expected an array of strings, found \(v.typeName)", "Write it as [\"a\", \"b\"].")
        }
        return try a.map {
            guard let s = $0.stringValue else {
                throw fail(
                    key, "expected an array of strings, found an element that is \($0.typeName)", "Quote every element."
                )
            }
            return s
        }
    }

    mutating func stringMap(_ key: String) throws -> [(String, String)] {
        guard let v = raw(key), !v.isNull else { return [] }
        guard let o = v.objectValue else {
            throw fail(key, "expected an object of strings, found \(v.typeName)", "Write it as {\"from\": \"to\"}.")
        }
        return try o.map { k, item in
            guard let s = item.stringValue else {
                throw fail("\(key).\(k)", "expected a string, found \(item.typeName)", "Quote the value.")
            }
            return (k, s)
        }
    }

    mutating func object(_ key: String) throws -> ConfigObject {
        try ConfigObject(file: file, path: keyPath(key), value: raw(key))
    }

    /// Rejects keys that no getter asked for, naming the closest known key.
    func finish() throws {
        for (k, _) in pairs where !used.contains(k) {
            let known = used.sorted()
            let near = known.min { Levenshtein.distance($0, k) < Levenshtein.distance($1, k) }
            var hint = "Known keys here: \(known.joined(separator: ", "))."
            if let n = near, Levenshtein.distance(n, k) <= max(2, k.count / 3) {
                hint = "Did you mean \"\(n)\"? " + hint
            }
            throw ConfigError(file: file, keyPath: keyPath(k), message: "unknown key", hint: hint)
        }
    }
}

/// Edit distance, for "did you mean" suggestions on keys and column names.
public enum Levenshtein {
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased())
        let y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The candidate closest to `name`, if reasonably close.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        guard let best = candidates.min(by: { distance($0, name) < distance($1, name) }) else { return nil }
        return distance(best, name) <= max(2, name.count / 2) ? best : nil
    }
}
