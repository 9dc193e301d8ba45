import CFileIO

/// `normalize`: per-customer paying intervals (bridged, renewals joined, capped at `as_of`), cohorts, first churn,
/// duration and MRR at `as_of` (docs/stages.md#normalize). dbt's *intermediate* layer.
///
/// Memory is bounded by customers plus a 28-byte row and a 4-byte reference per subscription left once
/// renewals that directly follow the term they renew are joined as they are read; outputs are sorted by
/// `customer_id` so later stages can stream them together.
public enum NormalizeStage {
    struct CustomerRow {
        var id: String
        var channel: Int32
        var signup: Int32?
        /// The customer's `attributes` object, in the part's (then the stage's) `ByteInterner`.
        var attributes: Int32
        var orphan: Bool
    }

    /// A subscription as normalize keeps it: 28 bytes with no padding (the MRR is held as two
    /// 32-bit halves so the row needs no 8-byte alignment), most of the stage's memory.
    struct SubRow {
        var customer: Int32
        var start: Int32
        var end: Int32
        var product: Int32
        var plan: Int32
        private var mrrLow: UInt32
        private var mrrHigh: Int32

        init(customer: Int32, start: Int32, end: Int32, mrr: Int64, product: Int32, plan: Int32) {
            self.customer = customer
            self.start = start
            self.end = end
            self.product = product
            self.plan = plan
            mrrLow = UInt32(truncatingIfNeeded: mrr)
            mrrHigh = Int32(truncatingIfNeeded: mrr >> 32)
        }

        var mrr: Int64 { Int64(mrrHigh) << 32 | Int64(mrrLow) }
    }

    /// One part of `ingest/subscriptions.jsonl`, read on its own: rows with part-local product and
    /// plan ids, and customers absent from customers.jsonl numbered -1, -2, ... in order of
    /// first appearance.
    struct SubscriptionPart {
        var rows: [SubRow] = []
        var orphanIds: [String] = []
        var products = StringTable()
        var plans = StringTable()
        var read = 0, zeroMRR = 0, afterAsOf = 0, zeroLength = 0
        /// Lines folded into the row of the line just before them (`renewalsJoined` counts them too).
        var joinedOnRead = 0
    }

    /// One part of `ingest/customers.jsonl`: rows with part-local channel ids (-1 for none) and
    /// attributes objects (numbered in the part's own table).
    struct CustomerPart {
        var rows: [CustomerRow] = []
        var channels = StringTable()
        var attributes = ByteInterner()
    }

    static let emptyObject: [UInt8] = Array("{}".utf8)

    static func readCustomers(_ cr: JSONLReader) throws -> CustomerPart {
        typealias Key = IngestCustomerRecord.Key
        var p = CustomerPart()
        while try cr.next() {
            guard cr.lineError == nil, let id = cr.string(Key.customerId) else {
                throw InputError.malformedFile(
                    path: cr.path, line: cr.lineNumber, reason: cr.lineError ?? "missing customer_id")
            }
            let ch =
                cr.string(Key.acquisitionChannel).flatMap { $0.isEmpty ? nil : $0 }.map {
                    p.channels.id(Label.fromInput($0))
                } ?? -1
            let attributes =
                cr.withRawValue(Key.attributes) { p.attributes.id($0) }
                ?? emptyObject.withUnsafeBufferPointer { p.attributes.id($0) }
            p.rows.append(
                CustomerRow(
                    id: id, channel: ch, signup: cr.day(Key.signupDate)?.raw, attributes: attributes, orphan: false))
        }
        return p
    }

    /// Reads one part of subscriptions.jsonl (`range`: its bytes in the file).
    ///
    /// A line that renews the subscription on the line just before it (same customer and product,
    /// same MRR, starting the day that one ends) is folded into that row as it is read, as
    /// `Activity.joinRenewals` would fold it later: exports list a customer's terms one after the
    /// other, so memory holds about one row per interval instead of one per term (a fifth of the
    /// rows at 1M on the SaaS shape). The part must not cut a customer's consecutive lines
    /// (`JSONLParts.split` with the customer key), so what is folded depends on the file alone.
    static func readSubscriptions(_ sr: JSONLReader, range: Range<Int>, index: CustomerIdTable, asOf: Int32) throws
        -> SubscriptionPart
    {
        typealias Key = SubscriptionRecord.Key
        var p = SubscriptionPart()
        // The rows are most of normalize's memory: once the first lines give their mean length,
        // reserve the part's rows at once, so no doubling copy holds them twice.
        let sampleLines = 4096
        let noPlan = p.plans.id("")
        var localOrphans: [String: Int32] = [:]
        var customerCache = RepeatedValueCache<Int32>()
        var productCache = RepeatedValueCache<Int32>()
        var planCache = RepeatedValueCache<Int32>()
        var cursor = CustomerIdTable.Cursor()
        // Whether the previous line's subscription is `p.rows.last` (not excluded).
        var previousKept = false
        while try sr.next() {
            p.read += 1
            if p.read == sampleLines, sr.lineOffset > range.lowerBound {
                // Rows as the first lines give them (renewals folded): biased high, since memory
                // reserved and never touched is not resident, while an estimate short of the rows
                // would double the array after all.
                let lines = range.count / max(1, (sr.lineOffset - range.lowerBound) / (sampleLines - 1))
                let estimate = Int(Double(lines) * Double(p.rows.count + 1) / Double(sampleLines))
                p.rows.reserveCapacity(estimate + estimate / 2)
            }
            let ci = sr.mapped(Key.customerId, &customerCache) { cid -> Int32 in
                if let i = index.number(of: cid, &cursor) { return Int32(i) }
                if let i = localOrphans[cid] { return i }
                let o = -Int32(p.orphanIds.count) - 1
                localOrphans[cid] = o
                p.orphanIds.append(cid)
                return o
            }
            guard sr.lineError == nil, let ci, let start = sr.day(Key.startDate), let mrr = sr.int(Key.mrrMinor) else {
                throw InputError.malformedFile(
                    path: sr.path, line: sr.lineNumber,
                    reason: sr.lineError ?? "missing customer_id, start_date or mrr_minor")
            }
            let end = sr.day(Key.endDate)?.raw ?? PaidInterval.open
            let wasKept = previousKept
            previousKept = false
            if start.raw > asOf {
                p.afterAsOf += 1
                continue
            }
            if end <= start.raw {
                p.zeroLength += 1
                continue
            }
            if mrr <= 0 {
                p.zeroMRR += 1
                continue
            }
            let product = sr.mapped(Key.product, &productCache) { p.products.id($0) } ?? p.products.id("default")
            previousKept = true
            if wasKept, let last = p.rows.last, last.customer == ci, last.end == start.raw, last.product == product,
                last.mrr == mrr
            {
                // A renewal of the line before: its start is later than that row's, so it is never
                // the customer's first subscription, whose plan is the only one read.
                p.rows[p.rows.count - 1].end = end
                p.joinedOnRead += 1
                continue
            }
            let plan = sr.mapped(Key.plan, &planCache) { p.plans.id($0) } ?? noPlan
            p.rows.append(SubRow(customer: ci, start: start.raw, end: end, mrr: mrr, product: product, plan: plan))
        }
        return p
    }

    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        let cfg = ctx.config
        var customers: [CustomerRow] = []
        // Customer numbers by id: the order of customers.jsonl, as `customers` holds them.
        var index = CustomerIdTable()
        // Customers' attributes objects, each distinct one held once.
        var attributes = ByteInterner()
        var channels = StringTable()
        let unknownChannel = channels.id("(unknown)")

        // Customers, in parts on all cores: each part keeps its own channel table and attributes
        // objects (`ByteInterner`); appended in file order, channels are numbered as one pass
        // would number them.
        var customerParts = try run.readInParts(.ingest, IngestCustomerRecord.output) { _, r in try readCustomers(r) }
        let customerRows = customerParts.reduce(0) { $0 + $1.rows.count }
        index.reserveCapacity(customerRows + 1024)
        customers.reserveCapacity(customerRows)
        for k in customerParts.indices {
            // Each part is let go once its rows and objects are taken.
            let p = customerParts[k]
            customerParts[k] = CustomerPart()
            let channelOf = p.channels.names.map { channels.id($0) }
            // The first part's objects become the stage's as they are; the others' join them by
            // the hashes their tables keep, so no object is hashed twice.
            let attributesOf: [Int32]
            if k == 0 {
                attributes = p.attributes
                attributesOf = Array(0..<Int32(p.attributes.count))
            } else {
                attributesOf = attributes.merge(p.attributes)
            }
            for var c in p.rows {
                c.channel = c.channel < 0 ? unknownChannel : channelOf[Int(c.channel)]
                c.attributes = attributesOf[Int(c.attributes)]
                // Lines count rows: ingest writes no blank line.
                if let first = index.existingOrInsert(c.id, line: customers.count, rowHash: 0) {
                    throw InputError.malformedFile(
                        path: try run.upstreamPath(.ingest, IngestCustomerRecord.output), line: customers.count + 1,
                        reason:
                            "customer_id \(c.id) is on line \(first.line + 1) too, and ingest writes each customer once"
                    )
                }
                customers.append(c)
            }
        }
        let customersRead = customers.count

        // Subscriptions: the file is cut into parts read side by side (one per core). Each part
        // keeps its own product and plan tables and numbers customers missing from customers.jsonl
        // locally; the parts are merged in file order, so every id comes out as a single pass over
        // the file would give it (first appearance), whatever the thread count.
        let asOf = cfg.asOf.raw
        let subscriptionsPath = try run.upstreamPath(.ingest, SubscriptionRecord.output)
        // Cut between customers, so a renewal is folded into the row before it whatever the parts.
        let subscriptionParts = try run.parts(of: subscriptionsPath, groupKey: SubscriptionRecord.Key.customerId)
        var parts = try run.readInParts(subscriptionsPath, subscriptionParts) { k, r in
            try readSubscriptions(r, range: subscriptionParts[k].range, index: index, asOf: asOf)
        }

        var products = StringTable()
        var plans = StringTable()
        let noPlan = plans.id("")
        var orphans = 0
        var subscriptionsRead = 0
        var zeroMRR = 0
        var afterAsOf = 0
        var zeroLength = 0
        var renewalsJoined = 0
        var customerOf: [[Int32]] = []
        let noAttributes = emptyObject.withUnsafeBufferPointer { attributes.id($0) }
        for p in parts {
            subscriptionsRead += p.read
            zeroMRR += p.zeroMRR
            afterAsOf += p.afterAsOf
            zeroLength += p.zeroLength
            renewalsJoined += p.joinedOnRead
            // A subscription of a customer absent from customers: keep it, create the customer.
            customerOf.append(
                p.orphanIds.map { cid in
                    // The table's line is the customer's number (the customers' were theirs too).
                    if let known = index.existingOrInsert(cid, line: customers.count, rowHash: 0) {
                        return Int32(known.line)
                    }
                    let i = Int32(customers.count)
                    customers.append(
                        CustomerRow(
                            id: cid, channel: unknownChannel, signup: nil, attributes: noAttributes, orphan: true))
                    orphans += 1
                    return i
                })
        }

        // Group subscriptions by customer without copying them: each part's rows get their global
        // customer, product and plan ids in place; a counting pass then lays out one 32-bit row
        // reference per subscription, grouped by customer in the order customers are written (by
        // id): `byCustomer[offsets[p]..<offsets[p + 1]]` are the rows of customer `order[p]`. Rows
        // stay where they were read, so memory holds them once. The order within a customer does
        // not matter: `Activity.bridge` sorts each customer's intervals.
        index = CustomerIdTable()  // every id is numbered now: free the table before the grouping allocates
        attributes.dropIndex()  // and every customer's attributes object
        var partBase = [Int](repeating: 0, count: parts.count + 1)
        for k in parts.indices {
            let productOf = parts[k].products.names.map { products.id($0) }
            let planOf = parts[k].plans.names.map { plans.id($0) }
            let orphanOf = customerOf[k]
            parts[k].rows.withUnsafeMutableBufferPointer { rows in
                for i in rows.indices {
                    if rows[i].customer < 0 { rows[i].customer = orphanOf[Int(-rows[i].customer - 1)] }
                    rows[i].product = productOf[Int(rows[i].product)]
                    rows[i].plan = planOf[Int(rows[i].plan)]
                }
            }
            partBase[k + 1] = partBase[k] + parts[k].rows.count
        }
        guard partBase[parts.count] <= Int(UInt32.max) else {
            throw InputError.cannotRead(
                path: subscriptionsPath,
                reason:
                    "it holds more than \(UInt32.max) subscriptions, more than normalize can group; split the data set")
        }
        let customerIds = customers.map(\.id)
        let order = UTF8Order.sortedIndices(of: customerIds)
        // Each customer's place in `order`.
        var rank = [Int32](repeating: 0, count: customers.count)
        for (p, ci) in order.enumerated() { rank[ci] = Int32(p) }
        var offsets = [Int](repeating: 0, count: customers.count + 1)
        for p in parts {
            for r in p.rows { offsets[Int(rank[Int(r.customer)]) + 1] += 1 }
        }
        for i in 0..<customers.count { offsets[i + 1] += offsets[i] }
        var byCustomer = [UInt32](repeating: 0, count: offsets[customers.count])
        do {
            var fill = offsets
            byCustomer.withUnsafeMutableBufferPointer { out in
                for k in parts.indices {
                    var ref = UInt32(partBase[k])
                    for r in parts[k].rows {
                        let p = Int(rank[Int(r.customer)])
                        out[fill[p]] = ref
                        fill[p] += 1
                        ref += 1
                    }
                }
            }
        }
        rank = []
        let rowParts = parts.map(\.rows)
        parts = []
        /// The subscription row a reference in `byCustomer` points at.
        @inline(__always) func row(_ ref: UInt32) -> SubRow {
            let (k, i) = place(ref)
            return rowParts[k][i]
        }
        /// The part a reference's row is in, and its index there.
        @inline(__always) func place(_ ref: UInt32) -> (part: Int, index: Int) {
            var k = 0
            while Int(ref) >= partBase[k + 1] { k += 1 }
            return (k, Int(ref) - partBase[k])
        }
        // When ids do not sort in the order rows were read (ids that are random strings, exports
        // sorted by date), a customer's rows are anywhere in memory: their cache lines are asked
        // for a few customers ahead (their first 16 rows), so the waits overlap instead of adding
        // up. The addresses are kept past `withUnsafeBufferPointer`: nothing reads through them (a
        // prefetch is a hint and never faults), and the arrays do not change from here on.
        let rowAddresses = rowParts.map { $0.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        let customerAddress = customers.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        @inline(__always) func prefetch(customerAt p: Int) {
            guard p < order.count else { return }
            if let c = customerAddress { cfileio_prefetch(c + order[p] * MemoryLayout<CustomerRow>.stride) }
            for j in offsets[p]..<min(offsets[p + 1], offsets[p] + 16) {
                let (k, i) = place(byCustomer[j])
                if let b = rowAddresses[k] { cfileio_prefetch(b + i * MemoryLayout<SubRow>.stride) }
            }
        }
        let prefetchDistance = 8

        let cw = try run.writer(NormalizedCustomerRecord.output)
        let iw = try run.writer(IntervalRecord.output)
        // Rows carry the customer's index and the product's id; the writer's thread looks up the
        // names (the tables do not change from here on).
        struct IntervalRow { var customer: Int32, interval: PaidInterval }
        let productNames = products.names
        let intervalRows = BackgroundRowWriter<IntervalRow>(writer: iw, background: ctx.threads > 1) {
            r, w in
            w.begin()
            IntervalRecord.write(
                customerId: customerIds[Int(r.customer)], product: productNames[Int(r.interval.product)],
                start: Day(raw: r.interval.start), end: r.interval.isOpen ? nil : Day(raw: r.interval.end),
                mrrMinor: r.interval.mrrMinor, to: w.line)
            try w.end()
        }
        defer { intervalRows.drain() }
        // Customer rows likewise: the loop below works out each customer's timeline and first
        // subscription; a second writer's thread spells the row (names and attributes looked up
        // there) and writes it, so the loop's thread neither formats customers.jsonl nor waits in
        // `write` while the kernel copies it into the page cache (at 1M up to half of that
        // thread's time), work the other core has time for. (Batches of 4,096 rows: a customer's
        // line is about three times an interval's, so a batch holds about as many bytes.)
        struct CustomerLine {
            var customer: Int32
            var timeline: CustomerTimeline
            /// The first subscription's plan and product ids, -1 when none.
            var firstPlan: Int32
            var firstProduct: Int32
        }
        let customerTable = customers
        let channelNames = channels.names
        let planNames = plans.names
        let attributeObjects = attributes
        let customerLines = BackgroundRowWriter<CustomerLine>(
            writer: cw, background: ctx.threads > 1, batchSize: 4096
        ) { r, w in
            let c = customerTable[Int(r.customer)]
            let t = r.timeline
            let row = NormalizedCustomerRecord(
                customerId: c.id, cohort: t.cohort, channel: channelNames[Int(c.channel)],
                attributes: attributeObjects[c.attributes], signupDate: c.signup.map { Day(raw: $0) },
                firstStart: t.firstStart, firstChurn: t.firstChurn, durationDays: t.durationDays, churned: t.churned,
                mrrAtAsOfMinor: t.mrrAtAsOfMinor, converted: t.converted,
                firstPlan: r.firstPlan < 0 || r.firstPlan == noPlan
                    ? nil : Label.fromInput(planNames[Int(r.firstPlan)]),
                firstProduct: r.firstProduct < 0 ? nil : productNames[Int(r.firstProduct)],
                initialMRRMinor: t.initialMRRMinor, orphan: c.orphan)
            w.begin()
            row.write(to: w.line)
            try w.end()
        }
        defer { customerLines.drain() }
        var intervals: [PaidInterval] = []
        var bridgedGaps = 0
        var neverConverted = 0
        var openAtAsOf = 0
        // With cohort_basis signup_date: paying customers whose signup month is after as_of's, in
        // no triangle cell (the first by id named in the warning).
        let asOfMonth = cfg.asOf.month
        let bySignup = cfg.cohortBasis == "signup_date"
        var signupAfterAsOf = 0
        var firstSignupAfterAsOf: (id: String, signup: Day)? = nil
        var mine: [SubRow] = []
        for p in 0..<min(prefetchDistance, order.count) { prefetch(customerAt: p) }
        for (p, ci) in order.enumerated() {
            prefetch(customerAt: p + prefetchDistance)
            let signup = customers[ci].signup
            mine.removeAll(keepingCapacity: true)
            for j in offsets[p]..<offsets[p + 1] { mine.append(row(byCustomer[j])) }
            intervals.removeAll(keepingCapacity: true)
            for s in mine {
                intervals.append(PaidInterval(start: s.start, end: s.end, mrrMinor: s.mrr, product: s.product))
            }
            Activity.cap(&intervals, asOf: cfg.asOf)
            bridgedGaps += Activity.bridge(&intervals, graceDays: cfg.graceDays)
            renewalsJoined += Activity.joinRenewals(&intervals)
            let t = try CustomerTimeline(
                intervals: intervals, asOf: cfg.asOf, signup: signup.map { Day(raw: $0) },
                bySignup: bySignup)
            // The first subscription's plan and product (earliest start; ties by product, then plan name).
            var firstSub: SubRow? = nil
            if let first = t.firstStart?.raw {
                for sub in mine where sub.start == first {
                    if let f = firstSub, (f.product, plans[f.plan]) <= (sub.product, plans[sub.plan]) { continue }
                    firstSub = sub
                }
            }
            if !t.converted { neverConverted += 1 }
            if bySignup, t.converted, let cohort = t.cohort, cohort > asOfMonth,
                let s = signup
            {
                signupAfterAsOf += 1
                if firstSignupAfterAsOf == nil { firstSignupAfterAsOf = (customers[ci].id, Day(raw: s)) }
            }
            if intervals.contains(where: { $0.end == PaidInterval.open }) { openAtAsOf += 1 }
            try customerLines.append(
                CustomerLine(
                    customer: Int32(ci), timeline: t, firstPlan: firstSub?.plan ?? -1,
                    firstProduct: firstSub?.product ?? -1))
            for iv in intervals { try intervalRows.append(IntervalRow(customer: Int32(ci), interval: iv)) }
        }
        try customerLines.finish()
        try intervalRows.finish()
        let counts: [(String, Int)] = [
            ("customers", customers.count), ("orphan_customers_created", orphans), ("never_converted", neverConverted),
            ("zero_mrr_subscriptions", zeroMRR), ("subscriptions_after_as_of", afterAsOf),
            ("zero_length_subscriptions", zeroLength),
            ("bridged_gaps", bridgedGaps), ("renewals_joined", renewalsJoined), ("intervals", iw.rows),
            ("open_at_as_of", openAtAsOf),
        ]
        // normalize is the first stage that reads the data at as_of: say there if it is outside the data.
        if let stale = DataWarnings.asOfOutsideData(
            asOf: cfg.asOf, coverage: try run.upstreamManifest(.ingest).coverage, openAtAsOf: openAtAsOf)
        {
            run.warn(stale)
        }
        if let first = firstSignupAfterAsOf {
            run.warn(
                DataWarning(
                    .signupAfterAsOf(
                        asOf: cfg.asOf, customers: signupAfterAsOf, example: first.id, signup: first.signup)))
        }
        // Every subscription row becomes part of an interval (back-to-back renewals at one price
        // share one: `renewals_joined`) or is excluded (zero MRR, zero length, after as_of); every
        // customer row is written once (orphans created from subscriptions on top).
        let kept = subscriptionsRead - zeroMRR - afterAsOf - zeroLength
        let reconciliation = [
            Manifest.Reconciliation(source: "customers", read: customersRead, written: customersRead, rejected: 0),
            Manifest.Reconciliation(
                source: "subscriptions", read: subscriptionsRead, written: kept,
                rejected: zeroMRR + afterAsOf + zeroLength),
        ]
        try run.commit(reconciliation: reconciliation, counts: counts)
        ctx.log(
            "\(customers.count) customers, \(iw.rows) intervals (\(zeroMRR) zero-MRR subscriptions, \(orphans) orphan customers created)"
        )
    }
}
