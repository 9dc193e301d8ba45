/// Reads a JSON Lines source (customers, subscriptions, cancellations or events) strictly, behind
/// the `SourceReader` interface: each line stands alone and is either a row or a reject.
///
/// A line is unreadable (`rowError`, with the field and value when there is one) when it is not
/// one valid JSON object (`StrictJSONLine`), lacks a required key, or gives a field a value of
/// the wrong type. Types are not coerced: text fields take a JSON string; the numeric fields
/// (`mrr`, `amount`, `billing_period`, `quantity`) take a number or a string (`"1,234.50"`, as in
/// CSV); `null` is the same as an absent key. Customers keep every other key as an attribute:
/// a string as it is, a number, `true`/`false`, an array or an object as its JSON text.
final class JSONLSourceReader: SourceReader {
    /// What a field may hold.
    enum FieldType { case string, numeric, any }

    /// One field the source's rows are read into.
    struct Field {
        /// Canonical name (rejects name it).
        var name: String
        /// The key in the file (after `columns` mapping).
        var key: [UInt8]
        var type: FieldType
        var required: Bool
    }

    /// The fields of one source kind, with the source's column mapping applied.
    struct Schema {
        var fields: [Field] = []
        /// Whether every other key is kept as an attribute (customers).
        var keepsAttributes = false
        /// Key in the file → attribute name, for renamed attribute columns.
        var attributeNames: [[UInt8]: String] = [:]

        /// No known fields, no type checks (any valid object is a row).
        static let untyped = Schema()

        /// SPEC §4's fields of `source.kind`; keep in step with `IngestStage`'s readers.
        init(source: PipelineConfig.Source) {
            let list: [(String, FieldType, Bool)]
            switch source.kind {
            case .customers:
                list = [("customer_id", .string, true), ("signup_date", .string, false), ("acquisition_channel", .string, false)]
                keepsAttributes = true
            case .subscriptions:
                list = [("customer_id", .string, true), ("subscription_id", .string, false), ("product", .string, false),
                        ("plan", .string, false), ("start_date", .string, true), ("end_date", .string, false),
                        ("mrr", .numeric, false), ("amount", .numeric, false), ("billing_period", .numeric, false),
                        ("currency", .string, false), ("quantity", .numeric, false)]
            case .cancellations:
                list = [("customer_id", .string, true), ("date", .string, true), ("reason", .string, false), ("comment", .string, false)]
            case .events:
                list = [("customer_id", .string, true), ("timestamp", .string, true), ("event", .string, true), ("user_id", .string, false)]
            }
            fields = list.map { Field(name: $0.0, key: Array(source.column($0.0).utf8), type: $0.1, required: $0.2) }
            for (field, column) in source.columns where !list.contains(where: { $0.0 == field }) {
                attributeNames[Array(column.utf8)] = field
            }
        }

        private init() {}
    }

    /// The column that carries a customer's attributes, packed (see `attributes(_:)`).
    static let attributesColumn = "\u{FFFF}attributes"

    private let reader: StrictJSONLReader
    private let schema: Schema
    let columns: [String]

    /// Columns asked for: a schema field's index, or a key outside the schema.
    private enum Column { case field(Int), key([UInt8]), attributes }
    private var asked: [Column] = []
    /// For each schema field, the current line's member holding it (-1: absent).
    private var memberOfField: [Int] = []
    /// Member for each asked `.key` column on the current line (-1: absent).
    private var memberOfColumn: [Int] = []
    /// A numeric field's number with its exponent written out (`1.5e3` → `1500`), by field.
    private var plainNumbers: [Int: [UInt8]] = [:]
    private var packedAttributes: [UInt8] = []

    private(set) var rowError: String?
    private(set) var rowErrorField = ""
    private(set) var rowErrorValue = ""

    init(path: String, schema: Schema = .untyped) throws {
        reader = try StrictJSONLReader(path: path, computeDigest: true)
        self.schema = schema
        columns = schema.fields.map { String(decoding: $0.key, as: UTF8.self) }
        memberOfField = Array(repeating: -1, count: schema.fields.count)
    }

    func column(named name: String) -> Int? {
        let column: Column
        if name == Self.attributesColumn {
            column = .attributes
        } else if let f = schema.fields.firstIndex(where: { $0.key.elementsEqual(name.utf8) }) {
            column = .field(f)
        } else {
            column = .key(Array(name.utf8))
        }
        asked.append(column)
        memberOfColumn.append(-1)
        return asked.count - 1
    }

    var line: Int { reader.lineNumber }
    var raw: String { reader.rawLine }
    var bytesRead: Int { reader.bytesRead }
    func digestHex() -> String { reader.digestHex() ?? "" }

    func next() throws -> Bool {
        guard try reader.next() else { return false }
        rowError = nil
        rowErrorField = ""
        rowErrorValue = ""
        plainNumbers.removeAll(keepingCapacity: true)
        for i in memberOfField.indices { memberOfField[i] = -1 }
        for i in memberOfColumn.indices { memberOfColumn[i] = -1 }
        if let p = reader.problem {
            rowError = p.reason
            rowErrorField = p.key.map(fieldName(forKey:)) ?? ""
            rowErrorValue = p.value ?? reader.withLineBytes { b in
                let from = min(p.valueStart, b.count), to = min(max(p.offset + 6, from), b.count)
                return Self.display(UnsafeBufferPointer(rebasing: b[max(from, to - 120)..<to]))
            }
            return true
        }
        checkFields()
        if rowError == nil {
            for (c, column) in asked.enumerated() {
                if case .key(let k) = column { memberOfColumn[c] = k.withUnsafeBufferPointer { reader.member(forKey: $0) } ?? -1 }
            }
            if schema.keepsAttributes, asked.contains(where: { if case .attributes = $0 { true } else { false } }) { packAttributes() }
        }
        return true
    }

    /// Finds each schema field on the line; the first missing required key or wrongly typed value
    /// makes the line unreadable.
    private func checkFields() {
        for (f, field) in schema.fields.enumerated() {
            guard let m = field.key.withUnsafeBufferPointer({ reader.member(forKey: $0) }) else {
                if field.required {
                    fail(field.name, "", field.key.elementsEqual(field.name.utf8)
                         ? "required key \"\(field.name)\" is missing"
                         : "required key \"\(String(decoding: field.key, as: UTF8.self))\" (\(field.name)) is missing")
                    return
                }
                continue
            }
            let kind = reader.kind(m)
            switch (field.type, kind) {
            case (_, .null), (.any, _), (.string, .string), (.numeric, .string):
                break
            case (.numeric, .number):
                // ExactDecimal reads plain decimals: write an exponent out (exactly).
                if reader.withText(m, { $0.contains { $0 | 0x20 == 0x65 } }) {
                    guard let plain = reader.withText(m, { Self.plainDecimal($0) }) else {
                        fail(field.name, reader.withText(m) { String(decoding: $0, as: UTF8.self) }, "number out of range (more than 40 digits written out)")
                        return
                    }
                    plainNumbers[f] = plain
                }
            default:
                let expected = field.type == .numeric ? "a number or a numeric string" : "a JSON string"
                fail(field.name, reader.withText(m) { String(decoding: $0, as: UTF8.self) }, "expected \(expected), got \(describe(kind, m))")
                return
            }
            memberOfField[f] = m
        }
    }

    private func fail(_ field: String, _ value: String, _ reason: String) {
        rowError = reason
        rowErrorField = field
        rowErrorValue = value
    }

    private func describe(_ kind: StrictJSONLReader.Kind, _ m: Int) -> String {
        switch kind {
        case .number: return "a number"
        case .bool: return reader.withText(m) { $0.first == 0x74 } ? "true" : "false"
        case .array: return "an array"
        case .object: return "an object"
        case .string: return "a string"
        case .null: return "null"
        }
    }

    /// The canonical name of the field a key holds (the key itself for other keys).
    private func fieldName(forKey key: [UInt8]) -> String {
        if let f = schema.fields.first(where: { $0.key == key }) { return f.name }
        return schema.attributeNames[key] ?? String(decoding: key, as: UTF8.self)
    }

    /// Packs the line's attributes (every member outside the schema, null ones left out) as
    /// (name length, name, value length, value) with 32-bit little-endian lengths.
    private func packAttributes() {
        packedAttributes.removeAll(keepingCapacity: true)
        let known = Set(memberOfField.filter { $0 >= 0 })
        for m in 0..<reader.memberCount where !known.contains(m) && reader.kind(m) != .null {
            let key = reader.withKey(m) { Array($0) }
            if schema.fields.contains(where: { $0.key == key }) { continue }
            let name = schema.attributeNames[key].map { Array($0.utf8) } ?? key
            append(length: name.count)
            packedAttributes += name
            reader.withText(m) { v in
                append(length: v.count)
                packedAttributes.append(contentsOf: v)
            }
        }
    }

    private func append(length: Int) {
        let n = UInt32(truncatingIfNeeded: length)
        for s in stride(from: 0, to: 32, by: 8) { packedAttributes.append(UInt8(truncatingIfNeeded: n >> UInt32(s))) }
    }

    /// Unpacks the attributes column's bytes into (name, value) pairs.
    static func attributes(_ packed: UnsafeBufferPointer<UInt8>?) -> [(String, String)] {
        guard let b = packed else { return [] }
        var out: [(String, String)] = []
        var i = 0
        func take() -> String? {
            guard i + 4 <= b.count else { return nil }
            let n = Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
            i += 4
            guard n <= b.count - i else { return nil }
            defer { i += n }
            return String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + n)]), as: UTF8.self)
        }
        while i < b.count, let k = take(), let v = take() { out.append((k, v)) }
        return out
    }

    func withField<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard rowError == nil else { return body(nil) }
        let m: Int
        switch asked[column] {
        case .attributes:
            return packedAttributes.withUnsafeBufferPointer { body($0) }
        case .field(let f):
            if let plain = plainNumbers[f] { return plain.withUnsafeBufferPointer { body($0) } }
            m = memberOfField[f]
        case .key:
            m = memberOfColumn[column]
        }
        guard m >= 0, reader.kind(m) != .null else { return body(nil) }
        return reader.withText(m) { body($0) }
    }

    func copyRow(into batch: RowBatch) {
        reader.withLineBytes { raw in
            batch.beginRow(line: line, error: rowError, raw: raw, errorField: rowErrorField, errorValue: rowErrorValue)
            for c in asked.indices { withField(c) { batch.addField($0) } }
            batch.endRow()
        }
    }

    // MARK: Values

    /// A JSON number with an exponent as a plain decimal (`-1.5e3` → `-1500`, `25E-1` → `2.5`);
    /// nil when written out it would pass 40 digits.
    static func plainDecimal(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let e = b.firstIndex(where: { $0 | 0x20 == 0x65 }) else { return Array(b) }
        var i = 0
        let negative = b[0] == 0x2D
        if negative { i = 1 }
        var digits: [UInt8] = []
        var scale = 0
        var seenPoint = false
        while i < e {
            if b[i] == 0x2E { seenPoint = true } else { digits.append(b[i]); if seenPoint { scale += 1 } }
            i += 1
        }
        i = e + 1
        var expNegative = false
        if b[i] == 0x2B || b[i] == 0x2D { expNegative = b[i] == 0x2D; i += 1 }
        var exp = 0
        while i < b.count {
            exp = exp * 10 + Int(b[i] - 0x30)
            if exp > 1000 { return nil }
            i += 1
        }
        // value = digits × 10^(exp' ) with exp' = ±exp − scale
        let shift = (expNegative ? -exp : exp) - scale
        while digits.count > 1, digits[0] == 0x30 { digits.removeFirst() }
        var out: [UInt8] = negative ? [0x2D] : []
        if shift >= 0 {
            guard digits.count + shift <= 40 else { return nil }
            out += digits
            if digits != [0x30] { out += Array(repeating: 0x30, count: shift) }
        } else {
            let fraction = -shift
            guard fraction <= 40 else { return nil }
            if digits.count > fraction {
                out += digits[..<(digits.count - fraction)]
                out.append(0x2E)
                out += digits[(digits.count - fraction)...]
            } else {
                out += [0x30, 0x2E]
                out += Array(repeating: 0x30, count: fraction - digits.count)
                out += digits
            }
        }
        return out
    }

    /// Bytes as text for a reject's value: well-formed UTF-8 as is, any other byte as `\xHH`.
    static func display(_ b: UnsafeBufferPointer<UInt8>) -> String {
        var out = ""
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                out.unicodeScalars.append(UnicodeScalar(c))
                i += 1
                continue
            }
            let n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0
            if n > 0, i + n <= b.count, let s = String(validating: b[i..<(i + n)], as: UTF8.self) {
                out += s
                i += n
            } else {
                out += "\\x" + StrictJSONLine.hex(UInt32(c), digits: 2).uppercased()
                i += 1
            }
        }
        return out
    }
}
