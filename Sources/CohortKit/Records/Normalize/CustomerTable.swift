import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-customer facts later stages need from `normalize/customers.jsonl`, held column-wise
/// (a few bytes per customer), in the file's order (sorted by `customer_id`).
public struct CustomerTable {
    /// Set by `read` and `append` (and by tests, on a table with none read: see `idPrefixes`).
    public internal(set) var ids: [String] = []
    /// Each id's `UTF8Order.prefixKey`, kept by `read` and `append`: a search compares integers,
    /// and strings only among the ids that share the key. A table whose `ids` were set otherwise
    /// has fewer keys than ids and compares strings throughout.
    private var idPrefixes: [UInt64] = []
    /// Whether searches compare the ids' prefix keys first.
    var searchesByPrefix: Bool { idPrefixes.count == ids.count }
    public var channel: [Int32] = []
    public var cohort: [Int32] = []  // Month.raw, or Int32.min when not converted
    public var firstStart: [Int32] = []  // Day.raw, or Int32.min
    public var duration: [Int32] = []  // days, or -1
    public var churned: [Bool] = []
    public var mrrAtAsOf: [Int64] = []
    public var initialMRR: [Int64] = []
    public var firstPlan: [Int32] = []  // in `plans`, -1 when none
    /// Filled only when read `withAttributes` (attribution).
    public var attributes = CustomerAttributes()
    public var channels = StringTable()
    public var plans = StringTable()

    public var count: Int { ids.count }
    public func converted(_ i: Int) -> Bool { firstStart[i] != Int32.min }

    /// Channel ids ordered by name (the order rows are written in, after `(all)`).
    public var channelOrder: [Int] {
        (0..<channels.count).sorted { channels.names[$0].utf8Precedes(channels.names[$1]) }
    }

    /// Converted customers per channel id.
    public var convertedPerChannel: [Int] {
        var n = [Int](repeating: 0, count: channels.count)
        for i in 0..<count where converted(i) { n[Int(channel[i])] += 1 }
        return n
    }

    /// The channels that keep their own rows and those pooled into `(other)` (`report.max_channels`).
    public func channelRanking(limit: Int) -> ChannelRanking {
        ChannelRanking(customers: convertedPerChannel, names: channels.names, limit: limit)
    }

    /// Whether `ids` are in UTF-8 byte order, as normalize writes them.
    public var isSortedByID: Bool {
        for i in ids.indices.dropFirst() where !ids[i - 1].utf8Precedes(ids[i]) { return false }
        return true
    }

    /// The first customer whose id is not before `id` in UTF-8 byte order (binary search; the
    /// ids must be sorted).
    public func firstIndex(notBefore id: String) -> Int {
        var key = id
        return key.withUTF8 { k in
            guard searchesByPrefix else {
                return ids.partitioningIndex { !Self.bytes(of: $0, precede: k) }
            }
            // Ids with a smaller key come before `id`, those with a larger one after it: the
            // answer is among the ids with its key (each id a String of its own once longer
            // than 15 bytes, a retain and release per comparison).
            let p = UTF8Order.prefixKey(k)
            let lo = idPrefixes.partitioningIndex { $0 >= p }
            let hi = idPrefixes[lo...].partitioningIndex { $0 > p }
            return ids[lo..<hi].partitioningIndex { !Self.bytes(of: $0, precede: k) }
        }
    }

    /// Whether `a`'s UTF-8 bytes come before `k` in byte order.
    @inline(__always)
    static func bytes(of a: String, precede k: UnsafeBufferPointer<UInt8>) -> Bool {
        var a = a
        return a.withUTF8 { UTF8Order.precedes($0, k) }
    }

    /// Reads `normalize/customers.jsonl` in parts on all cores (`JSONLParts`), each into its own
    /// table, then appends them in file order, renumbering channels and plans as one pass would
    /// (first appearance); the digest is recorded by `run`.
    public static func read(_ run: StageRun, withAttributes: Bool = false) throws -> CustomerTable {
        let parts = try run.readInParts(.normalize, NormalizedCustomerRecord.output) { _, r in
            try read(r, withAttributes: withAttributes)
        }
        var t = CustomerTable()
        for p in parts { t.append(p) }
        return t
    }

    /// The position of customer `id`, nil when the table does not have it (ids sorted).
    ///
    /// Ids match as ingest matched them, by canonical equivalence: a cancellation or an event
    /// whose id spells `é` as `e` and a combining accent finds the customer spelled with `é`
    /// although the two sort apart by bytes (another id may lie between them), and `\u{212A}1`
    /// (KELVIN SIGN) finds `K1`. Only a miss of the byte search pays for that.
    public func index(of id: String) -> Int? {
        if let i = byteIndex(of: id) { return i }
        let composed = KeyText.composed(id)
        if !composed.utf8.elementsEqual(id.utf8), let i = byteIndex(of: composed) { return i }
        return canonical.index(of: composed, ids: ids)
    }

    /// The position of the id with exactly `id`'s bytes.
    private func byteIndex(of id: String) -> Int? {
        let i = firstIndex(notBefore: id)
        guard i < ids.count else { return nil }
        var a = ids[i]
        var b = id
        return a.withUTF8 { x in b.withUTF8 { UTF8Order.equal(x, $0) } } ? i : nil
    }

    /// The stored ids that are not in composed form, by their composed form: built at the first
    /// lookup that needs it (normally never), once, for any number of threads.
    private var canonical = CanonicalSpellings()

    /// As `index(of:)`, trying the few customers after `previous` (the last position found) before
    /// a binary search: files grouped by customer in the table's order find each at once. The
    /// walk matches bytes, so it finds exactly the customer the search would.
    public func index(of id: String, after previous: Int?) -> Int? {
        if let p = previous, p >= 0, p < count {
            var key = id
            let hit = key.withUTF8 { k in
                ((p + 1)..<min(count, p + 5)).first { j in
                    var other = ids[j]
                    return other.withUTF8 { UTF8Order.equal($0, k) }
                }
            }
            if let hit { return hit }
        }
        return index(of: id)
    }

    /// Appends the customers of `o` (read from a later part of the file).
    mutating func append(_ o: CustomerTable) {
        let channelOf = o.channels.names.map { channels.id($0) }
        let planOf = o.plans.names.map { plans.id($0) }
        if searchesByPrefix, o.searchesByPrefix { idPrefixes += o.idPrefixes }
        ids += o.ids
        channel += o.channel.map { channelOf[Int($0)] }
        cohort += o.cohort
        firstStart += o.firstStart
        duration += o.duration
        churned += o.churned
        mrrAtAsOf += o.mrrAtAsOf
        initialMRR += o.initialMRR
        firstPlan += o.firstPlan.map { $0 < 0 ? $0 : planOf[Int($0)] }
        attributes.append(contentsOf: o.attributes)
    }

    /// `normalize/intervals.jsonl` cut into parts between customers (`JSONLParts`, with `run`'s
    /// minimum part size), each with the range of this table's customers whose intervals it
    /// holds; one part when the table is not sorted by id (the stream then reports the mismatch
    /// as it would).
    public func intervalParts(_ run: StageRun, path: String) throws -> [(part: JSONLParts.Part, customers: Range<Int>)]
    {
        let parts =
            isSortedByID
            ? try run.parts(of: path, groupKey: IntervalRecord.Key.customerId)
            : [JSONLParts.Part(range: 0..<(FilePaths.size(path) ?? 0))]
        let first = parts.map { p in p.firstKey.map { firstIndex(notBefore: $0) } ?? 0 } + [count]
        return parts.indices.map { k in (parts[k], first[k]..<max(first[k], first[k + 1])) }
    }

    /// Reads the table; `withAttributes` also keeps each customer's attributes (attribution).
    public static func read(_ r: JSONLReader, withAttributes: Bool = false) throws -> CustomerTable {
        typealias Key = NormalizedCustomerRecord.Key
        var t = CustomerTable()
        while try r.next() {
            guard r.lineError == nil, let id = r.string(Key.customerId),
                let ch = r.withStringBytes(Key.channel, { t.channels.id(bytes: $0) })
                    ?? r.string(Key.channel).map({ t.channels.id($0) })
            else {
                throw InputError.malformedFile(
                    path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id or channel")
            }
            t.ids.append(id)
            t.idPrefixes.append(UTF8Order.prefixKey(of: id))
            t.channel.append(ch)
            let firstStart = r.day(Key.firstStart)
            let duration = r.int(Key.durationDays)
            if let d = duration, d < 0 || d > Int64(Int32.max) {
                throw InputError.malformedFile(
                    path: r.path, line: r.lineNumber,
                    reason: "duration_days \(d) is not a number of days from 0 to \(Int32.max)")
            }
            if let fs = firstStart, let d = duration,
                let cohort = r.withStringBytes(Key.cohort, { Month.parseISO($0) })
                    ?? r.month(Key.cohort)
            {
                t.firstStart.append(fs.raw)
                t.duration.append(Int32(d))
                t.cohort.append(cohort.raw)
            } else {
                t.firstStart.append(Int32.min)
                t.duration.append(-1)
                t.cohort.append(Int32.min)
            }
            t.churned.append(r.bool(Key.churned) ?? false)
            t.mrrAtAsOf.append(r.int(Key.mrrAtAsOfMinor) ?? 0)
            t.initialMRR.append(r.int(Key.initialMRRMinor) ?? 0)
            t.firstPlan.append(
                r.withStringBytes(Key.firstPlan, { t.plans.id(bytes: $0) }) ?? r.string(Key.firstPlan).map {
                    t.plans.id($0)
                } ?? -1)
            if withAttributes, r.withRawValue(Key.attributes, { t.attributes.append(rawObject: $0) }) == nil {
                t.attributes.append(object: nil)
            }
        }
        t.attributes.finishReading()
        return t
    }
}

/// Streams `normalize/intervals.jsonl` customer by customer, in the order of `CustomerTable`.
public final class IntervalStream {
    private let reader: JSONLReader
    private var products = StringTable()
    private var productCache = RepeatedValueCache<Int32>()
    private var pendingRow = false
    private var done = false

    public init(_ reader: JSONLReader) { self.reader = reader }

    public var productNames: [String] { products.names }

    /// Fills `out` with the intervals of customer `id` (sorted by start as written).
    public func intervals(of id: String, into out: inout [PaidInterval]) throws {
        out.removeAll(keepingCapacity: true)
        while true {
            if !pendingRow {
                guard !done else { return }
                guard try reader.next() else {
                    done = true
                    return
                }
                pendingRow = true
            }
            guard reader.lineError == nil, let start = reader.day(IntervalRecord.Key.start),
                let mrr = reader.int(IntervalRecord.Key.mrrMinor)
            else {
                throw InputError.malformedFile(
                    path: reader.path, line: reader.lineNumber, reason: reader.lineError ?? "missing start or mrr_minor"
                )
            }
            // Most rows belong to the customer asked for: compare bytes before building a String.
            var want = id
            if want.withUTF8({ u in reader.withStringBytes(IntervalRecord.Key.customerId, { UTF8Order.equal(u, $0) }) })
                != true
            {
                guard let cid = reader.string(IntervalRecord.Key.customerId) else {
                    throw InputError.malformedFile(
                        path: reader.path, line: reader.lineNumber, reason: "missing customer_id")
                }
                if cid != id {
                    // Rows are sorted by customer_id: a smaller id means the files do not match.
                    if cid.utf8Precedes(id) {
                        throw InputError.malformedFile(
                            path: reader.path, line: reader.lineNumber,
                            reason: "customer \(cid) is not in customers.jsonl or the file is not sorted by customer_id"
                        )
                    }
                    return
                }
            }
            let end = reader.day(IntervalRecord.Key.end)?.raw ?? PaidInterval.open
            let product =
                reader.mapped(IntervalRecord.Key.product, &productCache) { products.id($0) } ?? products.id("default")
            out.append(PaidInterval(start: start.raw, end: end, mrrMinor: mrr, product: product))
            pendingRow = false
        }
    }

    /// Fails when rows remain that belong to no customer.
    public func finish() throws {
        let more = try pendingRow || (!done && reader.next())
        if more {
            throw InputError.malformedFile(
                path: reader.path, line: reader.lineNumber, reason: "rows for customers not in customers.jsonl")
        }
    }
}

/// The composed spelling of each stored customer id that is not composed (`CustomerTable`),
/// built for the ids of the first lookup (again when their number changed since).
final class CanonicalSpellings: @unchecked Sendable {
    private let lock = NSLock()
    private var positions: [[UInt8]: Int]? = nil
    private var builtFor = -1

    /// The position of the stored id whose composed form is `composed`, nil when none.
    func index(of composed: String, ids: [String]) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if positions == nil || builtFor != ids.count {
            builtFor = ids.count
            var map: [[UInt8]: Int] = [:]
            for (i, id) in ids.enumerated() {
                // `composed` returns an id without composable bytes as it is, without copying.
                let key = KeyText.composed(id)
                guard !key.utf8.elementsEqual(id.utf8) else { continue }
                let bytes = Array(key.utf8)
                if map[bytes] == nil { map[bytes] = i }
            }
            positions = map
        }
        return positions?[Array(composed.utf8)]
    }
}
