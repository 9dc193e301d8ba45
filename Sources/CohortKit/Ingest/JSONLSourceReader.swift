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
        /// The source's name in the configuration (`sources.<name>`), for messages.
        var sourceName = ""
        /// Key in the file → attribute name, for renamed attribute columns.
        var attributeNames: [[UInt8]: String] = [:]
        /// Key in the file → its attribute name's bytes, when that name is no renamed key itself:
        /// a line holding such a name as a key of its own would write the attribute twice.
        var renamedTargets: [[UInt8]: [UInt8]] = [:]

        /// No known fields, no type checks (any valid object is a row).
        static let untyped = Schema()

        /// The canonical fields of `source.kind` (docs/metrics.md#inputs-and-validation), in the
        /// order of `SourceKind.fields`; keep in step with `IngestStage`'s readers.
        init(source: PipelineConfig.Source) {
            let list: [(String, FieldType, Bool)]
            sourceName = source.kind.rawValue
            switch source.kind {
            case .customers:
                list = [
                    ("customer_id", .string, true), ("signup_date", .string, false),
                    ("acquisition_channel", .string, false),
                ]
                keepsAttributes = true
            case .subscriptions:
                list = [
                    ("customer_id", .string, true), ("subscription_id", .string, false), ("product", .string, false),
                    ("plan", .string, false), ("start_date", .string, true), ("end_date", .string, false),
                    ("mrr", .numeric, false), ("amount", .numeric, false), ("billing_period", .numeric, false),
                    ("billing_period_count", .numeric, false), ("currency", .string, false),
                    ("quantity", .numeric, false),
                ]
            case .cancellations:
                list = [
                    ("customer_id", .string, true), ("date", .string, true), ("reason", .string, false),
                    ("comment", .string, false),
                ]
            case .events:
                list = [
                    ("customer_id", .string, true), ("timestamp", .string, true), ("event", .string, true),
                    ("user_id", .string, false),
                ]
            }
            fields = list.map { Field(name: $0.0, key: Array(source.column($0.0).utf8), type: $0.1, required: $0.2) }
            for (field, column) in source.columns where !list.contains(where: { $0.0 == field }) {
                attributeNames[Array(column.utf8)] = field
            }
            for (key, name) in attributeNames where attributeNames[Array(name.utf8)] == nil {
                renamedTargets[key] = Array(name.utf8)
            }
        }

        private init() {}
    }

    /// The column that carries a customer's attributes, packed (see `attributes(_:)`).
    static let attributesColumn = "\u{FFFF}attributes"

    private let reader: StrictJSONLReader
    private let schema: Schema
    /// The schema fields' keys in one arena, and their types, flat (no retains per line).
    private let fieldKeyArena: [UInt8]
    private let fieldKeyRanges: [Range<Int>]
    private let fieldTypes: [FieldType]
    private let fieldRequired: [Bool]
    let columns: [String]

    /// What each asked column is: a schema field, a key outside the schema, or the attributes.
    private enum ColumnKind: UInt8 { case field, key, attributes }
    private var columnKinds: [ColumnKind] = []
    private var columnFields: [Int] = []
    private var columnKeys: [[UInt8]] = []

    /// Where a column's value is on the current line: nowhere (absent or null), in the line, in
    /// the reader's scratch (unescaped), or in `extra` (a number written out, packed attributes).
    private struct Span {
        enum Place: UInt8 { case absent, line, scratch, extra }
        var place: Place
        var start: Int32
        var count: Int32
        static let absent = Span(place: .absent, start: 0, count: 0)
    }
    private var spans: [Span] = []
    private var extra: [UInt8] = []
    /// For each schema field, the current line's member holding it (-1: absent).
    private var fieldMembers: [Int] = []

    private(set) var rowError: String?
    private(set) var rowErrorField = ""
    private(set) var rowErrorValue = ""
    private(set) var rowErrorGroup = ""

    /// `digest`: where the file's SHA-256 is computed; `progress` counts the lines read.
    init(path: String, schema: Schema = .untyped, digest: DigestMode = .inline, progress: ProgressMeter? = nil) throws {
        reader = try StrictJSONLReader(path: path, digest: digest, progress: progress)
        self.schema = schema
        columns = schema.fields.map { String(decoding: $0.key, as: UTF8.self) }
        var arena: [UInt8] = []
        var ranges: [Range<Int>] = []
        for f in schema.fields {
            ranges.append(arena.count..<(arena.count + f.key.count))
            arena += f.key
        }
        fieldKeyArena = arena
        fieldKeyRanges = ranges
        fieldTypes = schema.fields.map(\.type)
        fieldRequired = schema.fields.map(\.required)
        fieldMembers = Array(repeating: -1, count: schema.fields.count)
    }

    func column(named name: String) -> Int? {
        if name == Self.attributesColumn {
            columnKinds.append(.attributes)
            columnFields.append(-1)
        } else if let f = schema.fields.firstIndex(where: { $0.key.elementsEqual(name.utf8) }) {
            columnKinds.append(.field)
            columnFields.append(f)
        } else {
            columnKinds.append(.key)
            columnFields.append(-1)
        }
        columnKeys.append(Array(name.utf8))
        spans.append(.absent)
        return spans.count - 1
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
        rowErrorGroup = ""
        extra.removeAll(keepingCapacity: true)
        if let p = reader.problem {
            rowError = p.reason
            rowErrorField = p.key.map(fieldName(forKey:)) ?? ""
            rowErrorValue =
                p.value
                ?? reader.withLineBytes { b in
                    let from = min(p.valueStart, b.count)
                    let to = min(max(p.offset + 6, from), b.count)
                    return Self.display(UnsafeBufferPointer(rebasing: b[max(from, to - 120)..<to]))
                }
            for c in spans.indices { spans[c] = .absent }
            return true
        }
        // Taken out and put back, so they are updated in place (no copy on write).
        var found: [Int] = []
        var resolved: [Span] = []
        swap(&found, &fieldMembers)
        swap(&resolved, &spans)
        reader.withMembersAndBytes { members, line, scratch in
            resolve(members, line, scratch, &found, &resolved)
        }
        fieldMembers = found
        spans = resolved
        return true
    }

    /// Finds each schema field and asked column on the line; the first missing required key or
    /// wrongly typed value makes the line unreadable.
    private func resolve(
        _ members: UnsafeBufferPointer<StrictJSONLine.Member>, _ line: UnsafeBufferPointer<UInt8>,
        _ scratch: UnsafeBufferPointer<UInt8>,
        _ found: inout [Int], _ spans: inout [Span]
    ) {
        func bytes(_ inScratch: Bool, _ start: Int32, _ count: Int32) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: (inScratch ? scratch : line)[Int(start)..<Int(start + count)])
        }
        func text(_ m: StrictJSONLine.Member) -> UnsafeBufferPointer<UInt8> {
            bytes(m.textInScratch, m.textStart, m.textCount)
        }
        func member(_ k: UnsafeBufferPointer<UInt8>) -> Int {
            for (i, m) in members.enumerated() where Int(m.keyCount) == k.count {
                let mk = bytes(m.keyInScratch, m.keyStart, m.keyCount)
                guard let a = mk.baseAddress, let b = k.baseAddress else { return i }  // both empty
                if memcmp(a, b, k.count) == 0 { return i }
            }
            return -1
        }
        func span(_ m: Int) -> Span {
            guard m >= 0, members[m].kind != .null else { return .absent }
            let x = members[m]
            return Span(place: x.textInScratch ? .scratch : .line, start: x.textStart, count: x.textCount)
        }
        func extraSpan(_ from: Int) -> Span {
            Span(place: .extra, start: Int32(from), count: Int32(extra.count - from))
        }

        var plain: [(field: Int, span: Span)] = []
        let arena = fieldKeyArena
        for f in fieldKeyRanges.indices {
            let m = arena.withUnsafeBufferPointer { member(UnsafeBufferPointer(rebasing: $0[fieldKeyRanges[f]])) }
            found[f] = m
            guard m >= 0 else {
                if fieldRequired[f] {
                    let field = schema.fields[f]
                    let missing =
                        field.key.elementsEqual(field.name.utf8)
                        ? "required key \"\(field.name)\" is missing"
                        : "required key \"\(String(decoding: field.key, as: UTF8.self))\" (\(field.name)) is missing"
                    // The keys the hint shows, quoted and cut (they come from the data).
                    func quoted(_ m: StrictJSONLine.Member) -> String {
                        KeyText.quoted(bytes(m.keyInScratch, m.keyStart, m.keyCount))
                    }
                    let shown = members.prefix(8).map(quoted)
                    let objectKeys = members.lazy.filter { $0.kind == .object }.prefix(3).map(quoted)
                    fail(
                        field.name, "",
                        missing
                            + Self.keysHint(
                                shown, of: members.count, objects: Array(objectKeys), field: field.name,
                                source: schema.sourceName),
                        group: missing)
                    break
                }
                continue
            }
            let kind = members[m].kind
            let type = fieldTypes[f]
            switch (type, kind) {
            case (_, .null), (.any, _), (.string, .string), (.numeric, .string):
                continue
            case (.numeric, .number):
                // ExactDecimal reads plain decimals: write an exponent out (exactly).
                let t = text(members[m])
                guard t.contains(where: { $0 | 0x20 == 0x65 }) else { continue }
                guard let written = Self.plainDecimal(t) else {
                    fail(
                        schema.fields[f].name, String(decoding: t, as: UTF8.self),
                        "number out of range (more than 40 digits written out)")
                    break
                }
                let from = extra.count
                extra += written
                plain.append((f, extraSpan(from)))
                continue
            default:
                let expected = type == .numeric ? "a number or a numeric string" : "a JSON string"
                fail(
                    schema.fields[f].name, String(decoding: text(members[m]), as: UTF8.self),
                    "expected \(expected), got \(Self.describe(kind, text(members[m])))")
            }
            break
        }
        guard rowError == nil else {
            for c in spans.indices { spans[c] = .absent }
            return
        }
        for c in spans.indices {
            switch columnKinds[c] {
            case .field:
                let f = columnFields[c]
                spans[c] = plain.first { $0.field == f }?.span ?? span(found[f])
            case .key:
                spans[c] = columnKeys[c].withUnsafeBufferPointer { span(member($0)) }
            case .attributes:
                guard schema.keepsAttributes else {
                    spans[c] = .absent
                    continue
                }
                // Every member outside the schema, null ones left out, as (name length, name,
                // value length, value) with 32-bit little-endian lengths.
                let from = extra.count
                for (i, m) in members.enumerated() where m.kind != .null && !found.contains(i) {
                    let key = bytes(m.keyInScratch, m.keyStart, m.keyCount)
                    let keyBytes = schema.attributeNames.isEmpty ? nil : Array(key)
                    if let keyBytes, let renamed = schema.attributeNames[keyBytes] {
                        // The line has the mapping's target name as a key of its own as well: the
                        // attribute would be written twice (a JSON object the next stage refuses).
                        if rowError == nil, let target = schema.renamedTargets[keyBytes],
                            members.enumerated().contains(where: { j, o in
                                j != i && o.kind != .null && !found.contains(j)
                                    && bytes(o.keyInScratch, o.keyStart, o.keyCount).elementsEqual(target)
                            })
                        {
                            fail(
                                renamed, Self.display(key),
                                "the line has both \(KeyText.quoted(key)) (mapped to \(renamed) in the configuration's columns) and \"\(renamed)\": the attribute would be written twice; map one of them to another name"
                            )
                        }
                        appendLength(renamed.utf8.count)
                        extra += renamed.utf8
                    } else {
                        appendLength(key.count)
                        extra += key
                    }
                    let value = text(m)
                    appendLength(value.count)
                    extra += value
                }
                spans[c] = extraSpan(from)
            }
        }
    }

    private func fail(_ field: String, _ value: String, _ reason: String, group: String = "") {
        rowError = reason
        rowErrorField = field
        rowErrorValue = value
        rowErrorGroup = group
    }

    /// What a line lacking a required key holds instead, for its reject: its top-level keys
    /// (`shown`: the first eight of `count`, quoted by `KeyText.quoted`), that keys inside objects
    /// are not read when it has objects (`objects`: the first three object members' keys, quoted;
    /// an analytics tool's `properties`), and the setting that maps a key to the field.
    static func keysHint(_ shown: [String], of count: Int, objects: [String], field: String, source: String) -> String {
        guard count > 0 else { return ": the line is an empty object" }
        var hint =
            ": the line's keys are \(shown.joined(separator: ", "))" + (count > 8 ? " and \(count - 8) more" : "")
        if !objects.isEmpty {
            hint += " (keys inside \(objects.joined(separator: ", ")) are not read: flatten the file first)"
        }
        let setting = source.isEmpty ? "the source's \"columns\"" : "sources.\(source).columns"
        return hint + "; map the key that holds \(field) in \(setting)"
    }

    private static func describe(_ kind: StrictJSONLReader.Kind, _ text: UnsafeBufferPointer<UInt8>) -> String {
        switch kind {
        case .number: return "a number"
        case .bool: return text.first == 0x74 ? "true" : "false"
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

    private func appendLength(_ length: Int) {
        let n = UInt32(truncatingIfNeeded: length)
        for s in stride(from: 0, to: 32, by: 8) { extra.append(UInt8(truncatingIfNeeded: n >> UInt32(s))) }
    }

    /// Calls `body` with the name and value bytes of each attribute the attributes column's bytes
    /// hold, in order.
    static func forEachAttribute(
        _ packed: UnsafeBufferPointer<UInt8>?, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        guard let b = packed else { return }
        var i = 0
        func take() -> UnsafeBufferPointer<UInt8>? {
            guard i + 4 <= b.count else { return nil }
            let n = Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
            i += 4
            guard n <= b.count - i else { return nil }
            defer { i += n }
            return UnsafeBufferPointer(rebasing: b[i..<(i + n)])
        }
        while i < b.count, let k = take(), let v = take() { body(k, v) }
    }

    func withField<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let sp = spans[column]
        let range = Int(sp.start)..<Int(sp.start + sp.count)
        switch sp.place {
        case .absent: return body(nil)
        case .line: return reader.withBytes { line, _ in body(UnsafeBufferPointer(rebasing: line[range])) }
        case .scratch: return reader.withBytes { _, scratch in body(UnsafeBufferPointer(rebasing: scratch[range])) }
        case .extra: return extra.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    func copyRow(into batch: RowBatch) {
        // Everything read in place, nothing retained per row: the closures below touch neither
        // `extra` nor `spans` but through the pointers they are given, nor the reader's parser.
        reader.withMembersAndBytes { _, line, scratch in
            extra.withUnsafeMutableBufferPointer { extra in
                batch.beginRow(
                    line: reader.lineNumber, error: rowError, raw: line, errorField: rowErrorField,
                    errorValue: rowErrorValue, errorGroup: rowErrorGroup)
                spans.withUnsafeMutableBufferPointer { spans in
                    for sp in spans {
                        let range = Int(sp.start)..<Int(sp.start + sp.count)
                        switch sp.place {
                        case .absent: batch.addField(nil)
                        case .line: batch.addField(UnsafeBufferPointer(rebasing: line[range]))
                        case .scratch: batch.addField(UnsafeBufferPointer(rebasing: scratch[range]))
                        case .extra: batch.addField(UnsafeBufferPointer(rebasing: extra[range]))
                        }
                    }
                }
                batch.endRow()
            }
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
            if b[i] == 0x2E {
                seenPoint = true
            } else {
                digits.append(b[i])
                if seenPoint { scale += 1 }
            }
            i += 1
        }
        i = e + 1
        var expNegative = false
        if b[i] == 0x2B || b[i] == 0x2D {
            expNegative = b[i] == 0x2D
            i += 1
        }
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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
