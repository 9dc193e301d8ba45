import Foundation

/// `churn-attribution`: where churn comes from and what it costs (docs/metrics.md#churn-attribution). Segments per
/// dimension value with Kaplan–Meier churn probabilities, log-rank tests (overall and pairwise
/// with Holm adjustment), exit reasons, a Cox model that separates a channel's effect from its
/// plan mix, activation, and revenue impact.
public enum AttributionStage {
    /// One dimension resolved to a level per converted customer (after pooling small values).
    struct Dimension {
        var name: String
        var levels: [String]
        /// Level index per customer, -1 for customers outside the survival population.
        var level: [Int32]
        var pooledLevel: Int?
    }

    /// Per-customer facts computed from intervals.
    struct CustomerFacts {
        var churnedMRR12m: [Int64] = []
        var lastChurnMRR: [Int64] = []
        var monthlyBase: [Int32] = []
        var monthlyChurned: [Int32] = []
        /// Expansion within 12 months of the first start (nil: fewer than 12 complete months).
        var expanded: [Bool?] = []
    }

    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        let cfg = ctx.config
        let table = try CustomerTable.read(run, withAttributes: true)
        let lastMonth = Month.lastComplete(asOf: cfg.asOf)
        let facts = try customerFacts(run, table: table, lastMonth: lastMonth)

        // Activation from events: the key event within `days` of the first subscription start.
        var activated: [Bool]? = nil
        // Adoption months with the key event, one bit per month (SuccessPhases.adoptionBit).
        var adoptionBits: [UInt8]? = nil
        if let event = cfg.activationEvent {
            // events.jsonl in parts read side by side; each part's earliest uses, merged by min.
            let eventBytes = Array(event.utf8)
            let days = Int32(cfg.activationDays)
            // Nothing after as_of counts: an event after it cannot activate anyone.
            let asOfRaw = cfg.asOf.raw
            let pieces = try run.readInParts(.ingest, EventRecord.output) { _, er in
                var firstUse = [Int32](repeating: Int32.max, count: table.count)
                var bits = [UInt8](repeating: 0, count: table.count)
                var any = false
                var lastId = ""
                var lastIndex: Int? = nil
                while try er.next() {
                    guard er.lineError == nil,
                        er.withStringBytes(EventRecord.Key.event, { $0.elementsEqual(eventBytes) })
                            ?? (er.string(EventRecord.Key.event) == event),
                        let id = er.string(EventRecord.Key.customerId), let d = er.day(EventRecord.Key.date)
                    else { continue }
                    // Events come grouped by customer: search the table once per run of rows.
                    if id != lastId {
                        lastId = id
                        lastIndex = table.index(of: id)
                    }
                    guard let i = lastIndex else { continue }
                    any = true
                    let start = table.firstStart[i]
                    if start != Int32.min, d.raw >= start, d.raw < start + days, d.raw <= asOfRaw {
                        firstUse[i] = min(firstUse[i], d.raw)
                    }
                    bits[i] |= SuccessPhases.adoptionBit(eventDay: d.raw, firstStart: start, asOf: cfg.asOf.raw)
                }
                return (firstUse, bits, any)
            }
            if pieces.contains(where: { $0.2 }) {
                var firstUse = pieces[0].0
                var bits = pieces[0].1
                for p in pieces.dropFirst() {
                    for i in firstUse.indices {
                        firstUse[i] = min(firstUse[i], p.0[i])
                        bits[i] |= p.1[i]
                    }
                }
                activated = firstUse.map { $0 != Int32.max }
                adoptionBits = bits
            }
        }

        var dims = try resolveDimensions(cfg: cfg, table: table)
        dims.append(try touchTier(cfg: cfg, table: table))
        if let activated { dims.append(activationDimension(activated, table: table)) }
        dims = dims.map { pool($0, min: cfg.minSegmentCustomers) }

        var durations: [Int32] = []
        var events: [Bool] = []
        var who: [Int] = []
        for i in 0..<table.count where table.converted(i) {
            durations.append(table.duration[i])
            events.append(table.churned[i])
            who.append(i)
        }
        // The Cox fit needs only the rows and the dimensions: with two threads it runs on the second
        // core while the segments and tests are written (the outputs are written in the same order
        // either way).
        let coxDims = dims.filter { d in d.name != "touch_tier" }.map { capped($0, max: cfg.maxComparedValues) }
        final class Box {
            var fit: CoxFit?
            var segments: Result<Void, Error> = .success(())
        }
        let box = Box()
        let segments = {
            box.segments = Result {
                try writeSegments(
                    run, cfg: cfg, table: table, facts: facts, dims: dims,
                    durations: durations, events: events, who: who)
            }
        }
        if ctx.threads > 1 {
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                if k == 0 {
                    segments()
                } else {
                    box.fit = fitCox(dims: coxDims, durations: durations, events: events, who: who)
                }
            }
        } else {
            segments()
        }
        try box.segments.get()
        try writeReasons(run, cfg: cfg, table: table, facts: facts)
        let coxFit = box.fit ?? fitCox(dims: coxDims, durations: durations, events: events, who: who)
        let cox = try writeCox(run, coxFit, dims: coxDims)
        try writeAtRisk(run, cfg: cfg, table: table, fit: coxFit, durations: durations, events: events, who: who)
        writeAtRiskBacktest(run, cfg: cfg, table: table, dims: coxDims, durations: durations, events: events, who: who)
        try writeActivation(
            run, table: table, activated: activated, windowEnd: cfg.asOf.raw + 1 - Int32(cfg.activationDays))
        try writeImpact(run, table: table, facts: facts, dims: dims)
        try writePhases(run, cfg: cfg, table: table, facts: facts, activated: activated, adoptionBits: adoptionBits)
        try run.commit(counts: [("customers", table.count), ("converted", who.count), ("dimensions", dims.count)])
        ctx.log(
            "\(who.count) converted customers over \(dims.count) dimensions; Cox fit on \(cox.patterns) covariate patterns in "
                + String(format: "%.3f s", cox.seconds))
    }

    /// Churned MRR (churn + contraction) over the trailing 12 months, the MRR lost at the latest
    /// churn, and monthly logo-churn bases and events over the same months, per customer.
    static func customerFacts(_ run: StageRun, table: CustomerTable, lastMonth: Month) throws -> CustomerFacts {
        // intervals.jsonl in parts read side by side; each part fills its own customers' range.
        let ipath = try run.upstreamPath(.normalize, "intervals")
        let parts = try table.intervalParts(run, path: ipath)
        let pieces = try run.readInParts(ipath, parts.map(\.part)) { k, reader in
            try customerFacts(reader, table: table, customers: parts[k].customers, lastMonth: lastMonth)
        }
        var f = CustomerFacts()
        for p in pieces {
            f.churnedMRR12m += p.churnedMRR12m
            f.lastChurnMRR += p.lastChurnMRR
            f.monthlyBase += p.monthlyBase
            f.monthlyChurned += p.monthlyChurned
            f.expanded += p.expanded
        }
        precondition(f.churnedMRR12m.count == table.count, "the parts cover every customer once")
        return f
    }

    /// The facts of `customers` (a range of the table) from the part of intervals.jsonl that
    /// holds their rows; the arrays are indexed from the range's start.
    static func customerFacts(_ ir: JSONLReader, table: CustomerTable, customers: Range<Int>, lastMonth: Month) throws
        -> CustomerFacts
    {
        var f = CustomerFacts()
        f.churnedMRR12m = Array(repeating: 0, count: customers.count)
        f.lastChurnMRR = Array(repeating: 0, count: customers.count)
        f.monthlyBase = Array(repeating: 0, count: customers.count)
        f.monthlyChurned = Array(repeating: 0, count: customers.count)
        f.expanded = Array(repeating: nil, count: customers.count)
        let stream = IntervalStream(ir)
        var ivs: [PaidInterval] = []
        var snaps = CustomerSnapshots()
        for ti in customers {
            let i = ti - customers.lowerBound
            try stream.intervals(of: table.ids[ti], into: &ivs)
            guard !ivs.isEmpty else { continue }
            try snaps.load(ivs, lastMonth: lastMonth)
            if table.converted(ti) {
                f.expanded[i] = SuccessPhases.expanded(
                    snaps, firstStart: Day(raw: table.firstStart[ti]), initialMRR: table.initialMRR[ti],
                    lastMonth: lastMonth)
            }
            for k in 0..<12 {
                let m = lastMonth - k
                let prev = snaps.at(m - 1)
                let cur = snaps.at(m)
                if cur < prev {
                    f.churnedMRR12m[i] = try CheckedMinor.sum(
                        f.churnedMRR12m[i], try CheckedMinor.difference(prev, cur, "churned MRR"),
                        "a customer's churned MRR over 12 months")
                }
                if prev > 0 {
                    f.monthlyBase[i] += 1
                    if cur == 0 { f.monthlyChurned[i] += 1 }
                }
            }
            // The latest stretch end on or before as_of, and the MRR on its last day.
            var end: Int32 = Int32.min
            var unionEnd: Int32 = Int32.min
            for iv in ivs {
                if iv.start > unionEnd, unionEnd != Int32.min { end = unionEnd }
                unionEnd = max(unionEnd, iv.end)
            }
            if unionEnd != PaidInterval.open { end = unionEnd }
            if end != Int32.min { f.lastChurnMRR[i] = try Activity.mrr(ivs, on: end - 1) }
        }
        try stream.finish()
        return f
    }

    // MARK: dimensions

    static func resolveDimensions(cfg: PipelineConfig, table: CustomerTable) throws -> [Dimension] {
        var available = Set<String>()
        for a in table.attributes { for (k, _) in a { available.insert(k) } }
        var out: [Dimension] = []
        for name in cfg.dimensions {
            var values: [String?] = []
            if name == "acquisition_channel" || name == "channel" {
                values = (0..<table.count).map { table.channels[table.channel[$0]] }
            } else if available.contains(name) {
                values = table.attributes.map { attrs in
                    attrs.first { $0.0 == name }.map { $0.1.isEmpty ? "(unknown)" : Label.fromInput($0.1) }
                        ?? "(unknown)"
                }
            } else if name == "plan" {
                values = (0..<table.count).map {
                    table.firstPlan[$0] >= 0 ? table.plans[table.firstPlan[$0]] : "(unknown)"
                }
            } else {
                let list = (["acquisition_channel", "plan"] + available.sorted()).joined(separator: ", ")
                throw ConfigError(
                    file: cfg.file, keyPath: "attribution.dimensions",
                    message: "dimension \"\(name)\" is not in the data",
                    hint: "The data has: \(list). Remove it or add the column to the customers export.")
            }
            out.append(
                makeDimension(name: name == "channel" ? "acquisition_channel" : name, values: values, table: table))
        }
        return out
    }

    static func makeDimension(name: String, values: [String?], table: CustomerTable) -> Dimension {
        var levels = StringTable()
        var level = [Int32](repeating: -1, count: table.count)
        for i in 0..<table.count where table.converted(i) { level[i] = levels.id(values[i] ?? "(unknown)") }
        return Dimension(name: name, levels: levels.names, level: level, pooledLevel: nil)
    }

    /// Touch tier from initial ARR (initial MRR × 12): high, low, or tech touch.
    static func touchTier(cfg: PipelineConfig, table: CustomerTable) throws -> Dimension {
        let values: [String?] = try (0..<table.count).map { i in
            let arr = try CheckedMinor.product(
                table.initialMRR[i], 12, "the initial ARR (12 × initial MRR) of customer \(table.ids[i])")
            return arr >= cfg.touchTierHighMinor
                ? "high_touch" : arr >= cfg.touchTierLowMinor ? "low_touch" : "tech_touch"
        }
        return makeDimension(name: "touch_tier", values: values, table: table)
    }

    static func activationDimension(_ activated: [Bool], table: CustomerTable) -> Dimension {
        makeDimension(name: "activation", values: activated.map { $0 ? "activated" : "not_activated" }, table: table)
    }

    /// Pools levels with fewer than `min` customers into `(other)`; levels are then ordered by
    /// name (with `(other)` last).
    static func pool(_ d: Dimension, min: Int) -> Dimension {
        var counts = [Int](repeating: 0, count: d.levels.count)
        for l in d.level where l >= 0 { counts[Int(l)] += 1 }
        let keep = d.levels.indices.filter { counts[$0] >= min }.sorted {
            d.levels[$0].utf8.lexicographicallyPrecedes(d.levels[$1].utf8)
        }
        let small = d.levels.indices.filter { counts[$0] < min && counts[$0] > 0 }
        var names = keep.map { d.levels[$0] }
        var map = [Int32](repeating: -1, count: d.levels.count)
        for (n, k) in keep.enumerated() { map[k] = Int32(n) }
        var pooled: Int? = nil
        if !small.isEmpty {
            pooled = names.count
            names.append("(other)")
            for k in small { map[k] = Int32(pooled!) }
        }
        return Dimension(
            name: d.name, levels: names, level: d.level.map { $0 >= 0 ? map[Int($0)] : -1 }, pooledLevel: pooled)
    }

    // MARK: segments and pairwise tests

    static func writeSegments(
        _ run: StageRun, cfg: PipelineConfig, table: CustomerTable, facts: CustomerFacts, dims: [Dimension],
        durations: [Int32], events: [Bool], who: [Int]
    ) throws {
        let sw = try run.writer("segments")
        let pw = try run.writer("pairwise")
        let all = KaplanMeier(durations: durations, events: events)
        let allP1y = 1 - all.survival(atDay: 365)
        let totalChurnedMRR = try who.reduce(Int64(0)) {
            try CheckedMinor.sum($0, facts.churnedMRR12m[$1], "segments' churned_mrr_12m_minor (all customers)")
        }
        // One sort by duration serves every dimension: each level's counts per distinct duration
        // come from it, and the curves and tests below work on those counts, not on the rows.
        // The rows are laid out in that order once, so each dimension's passes read memory in sequence.
        let order = DurationTable.order(durations)
        let inOrder = Array(0..<order.count)
        let sortedDurations = order.map { durations[$0] }
        let sortedEvents = order.map { events[$0] }
        for d in dims {
            let groups = who.map { d.level[$0] }
            let sortedGroups = order.map { groups[$0] }
            var sizes = [Int](repeating: 0, count: d.levels.count)
            for g in groups where g >= 0 && Int(g) < d.levels.count { sizes[Int(g)] += 1 }
            let compared = comparedLevels(d, sizes: sizes, max: cfg.maxComparedValues)
            // The dimension's log-rank over the compared levels, the others as one more group:
            // k groups cost O(T·k²) and a k×k inverse, too much for thousands of values.
            var lrGroups = sortedGroups
            var lrCount = d.levels.count
            if compared.count < d.levels.count {
                var map = [Int32](repeating: Int32(compared.count), count: d.levels.count)
                for (n, l) in compared.enumerated() { map[l] = Int32(n) }
                lrGroups = sortedGroups.map { $0 >= 0 ? map[Int($0)] : -1 }
                lrCount = compared.count + 1
            }
            let lr = LogRank.test(
                order: inOrder, durations: sortedDurations, events: sortedEvents, groups: lrGroups, groupCount: lrCount)
            let tables = LogRank.groupTables(
                order: inOrder, durations: sortedDurations, events: sortedEvents,
                groups: sortedGroups, groupCount: d.levels.count)
            var churnedMRRByLevel = [Int64](repeating: 0, count: d.levels.count)
            for (k, i) in who.enumerated() where groups[k] >= 0 && Int(groups[k]) < d.levels.count {
                let l = Int(groups[k])
                churnedMRRByLevel[l] = try CheckedMinor.sum(
                    churnedMRRByLevel[l], facts.churnedMRR12m[i],
                    "segments' churned_mrr_12m_minor for \(d.name) = \(d.levels[l])")
            }
            for (li, value) in d.levels.enumerated() {
                let churnedMRR = churnedMRRByLevel[li]
                guard !tables[li].days.isEmpty else { continue }
                let km = KaplanMeier(table: tables[li])
                let early = km.survival(atDay: cfg.earlyChurnDays)
                let year = km.survival(atDay: 365)
                let ciE = km.confidenceInterval(atDay: cfg.earlyChurnDays, confidence: cfg.confidence)
                let ciY = km.confidenceInterval(atDay: 365, confidence: cfg.confidence)
                sw.begin()
                sw.line.key("dimension")
                sw.line.string(d.name)
                sw.line.key("value")
                sw.line.string(value)
                sw.line.key("customers")
                sw.line.int(km.customers)
                sw.line.key("churned")
                sw.line.int(km.churned)
                sw.line.key("churn_prob_early")
                sw.line.double(1 - early)
                sw.line.key("churn_prob_early_lower")
                sw.line.double(ciE.map { 1 - $0.upper })
                sw.line.key("churn_prob_early_upper")
                sw.line.double(ciE.map { 1 - $0.lower })
                sw.line.key("churn_prob_1y")
                sw.line.double(1 - year)
                sw.line.key("churn_prob_1y_lower")
                sw.line.double(ciY.map { 1 - $0.upper })
                sw.line.key("churn_prob_1y_upper")
                sw.line.double(ciY.map { 1 - $0.lower })
                sw.line.key("churned_mrr_12m_minor")
                sw.line.int(churnedMRR)
                sw.line.key("churned_mrr_share")
                sw.line.double(ratio(churnedMRR, totalChurnedMRR))
                sw.line.key("relative_risk")
                sw.line.double(allP1y > 0 ? (1 - year) / allP1y : nil)
                sw.line.key("logrank_p_value")
                sw.line.double(lr.pValue)
                sw.line.key("pooled")
                sw.line.bool(li == d.pooledLevel)
                try sw.end()
            }
            // Pairwise two-group log-rank tests between the compared levels, Holm-adjusted within
            // the dimension. Each pair reads only its two levels' rows (merged in row order).
            var pairs: [(Int, Int, LogRankResult)] = []
            for (ia, a) in compared.enumerated() {
                for b in compared[(ia + 1)...] {
                    pairs.append((a, b, LogRank.test(tables[a], tables[b])))
                }
            }
            let tested = pairs.compactMap { $0.2.pValue }
            let adjusted = MultipleTesting.holm(tested)
            var next = 0
            for (a, b, r) in pairs {
                pw.begin()
                pw.line.key("dimension")
                pw.line.string(d.name)
                pw.line.key("a")
                pw.line.string(d.levels[a])
                pw.line.key("b")
                pw.line.string(d.levels[b])
                pw.line.key("statistic")
                pw.line.double(r.statistic)
                pw.line.key("p_value")
                pw.line.double(r.pValue)
                if r.pValue != nil {
                    pw.line.key("p_holm")
                    pw.line.double(adjusted[next])
                    next += 1
                } else {
                    pw.line.key("p_holm")
                    pw.line.null()
                }
                try pw.end()
            }
        }
    }

    /// The levels that get pairwise tests: every level (`(other)` included) while there are at
    /// most `max`, else the `max` with the most customers (ties by name); in level order.
    /// Pairs grow with the square of the levels: 10,000 plans would make 50 million tests.
    static func comparedLevels(_ d: Dimension, sizes: [Int], max: Int) -> [Int] {
        let all = Array(d.levels.indices)
        guard all.count > max else { return all }
        let ranked = all.sorted { a, b in
            sizes[a] != sizes[b] ? sizes[a] > sizes[b] : d.levels[a].utf8.lexicographicallyPrecedes(d.levels[b].utf8)
        }
        return ranked.prefix(max).sorted()
    }

    /// The dimension as the Cox model sees it: at most `max` levels, the ones with the most
    /// customers (ties by name), the others joined to `(other)`. One column per level makes the
    /// fit O(n·p²) per iteration; thousands of sales reps would stall it.
    static func capped(_ d: Dimension, max: Int) -> Dimension {
        var counts = [Int](repeating: 0, count: d.levels.count)
        for l in d.level where l >= 0 { counts[Int(l)] += 1 }
        let present = d.levels.indices.filter { counts[$0] > 0 }
        guard present.count > max else { return d }
        let candidates = present.filter { $0 != d.pooledLevel }.sorted { a, b in
            counts[a] != counts[b]
                ? counts[a] > counts[b] : d.levels[a].utf8.lexicographicallyPrecedes(d.levels[b].utf8)
        }
        let keep = candidates.prefix(max - 1).sorted()
        var map = [Int32](repeating: Int32(keep.count), count: d.levels.count)
        for (n, k) in keep.enumerated() { map[k] = Int32(n) }
        return Dimension(
            name: d.name, levels: keep.map { d.levels[$0] } + ["(other)"],
            level: d.level.map { $0 >= 0 ? map[Int($0)] : -1 }, pooledLevel: keep.count)
    }

    // MARK: exit reasons

    static func writeReasons(_ run: StageRun, cfg: PipelineConfig, table: CustomerTable, facts: CustomerFacts) throws {
        // The latest cancellation per customer (by date, then line).
        // Reasons are numbered as they come (few distinct), so the per-customer work is integer
        // bookkeeping; the string-keyed aggregate is built from (channel, reason) totals at the end.
        var latestDate = [Int32](repeating: Int32.min, count: table.count)
        var latestReason = [Int32](repeating: -1, count: table.count)
        var reasons = StringTable()
        let rr = try run.open(.ingest, CancellationRecord.output)
        var lastId = ""
        var lastIndex: Int? = nil
        while try rr.next() {
            guard rr.lineError == nil, let id = rr.string(CancellationRecord.Key.customerId),
                let d = rr.day(CancellationRecord.Key.date)
            else { continue }
            // Rows usually come in customer order: try the row after the last match before searching.
            if id != lastId {
                if let l = lastIndex, l + 1 < table.count, table.ids[l + 1] == id {
                    lastIndex = l + 1
                } else {
                    lastIndex = table.index(of: id)
                }
                lastId = id
            }
            guard let i = lastIndex else { continue }
            if d.raw > cfg.asOf.raw { continue }
            let reason = reasons.id(
                rr.string(CancellationRecord.Key.reason).flatMap { $0.isEmpty ? nil : Label.fromInput($0) }
                    ?? "(no reason given)")
            if latestReason[i] < 0 || d.raw >= latestDate[i] {
                latestDate[i] = d.raw
                latestReason[i] = reason
            }
        }
        run.close(rr)
        let categories = Dictionary(
            cfg.reasonCategories.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
        let channelCount = table.channels.names.count
        var byChannelReason = [(Int, Int64)](repeating: (0, 0), count: channelCount * reasons.names.count)
        for i in 0..<table.count where latestReason[i] >= 0 {
            let k = Int(table.channel[i]) * reasons.names.count + Int(latestReason[i])
            byChannelReason[k].0 += 1
            byChannelReason[k].1 = try CheckedMinor.sum(
                byChannelReason[k].1, facts.lastChurnMRR[i], "reasons' churned_mrr_minor")
        }
        struct Key: Hashable {
            var channel: String
            var category: String
            var reason: String
        }
        var agg: [Key: (Int, Int64)] = [:]
        for c in 0..<channelCount {
            for r in 0..<reasons.names.count where byChannelReason[c * reasons.names.count + r].0 > 0 {
                let (count, mrr) = byChannelReason[c * reasons.names.count + r]
                let reason = reasons.names[r]
                let category = categories[reason.lowercased()] ?? "(unmapped)"
                // Rows per reason, plus category totals under the reason "(all)".
                for ch in ["(all)", table.channels.names[c]] {
                    for reason in [reason, "(all)"] {
                        let k = Key(channel: ch, category: category, reason: reason)
                        let v = agg[k] ?? (0, 0)
                        agg[k] = (
                            v.0 + count, try CheckedMinor.sum(v.1, mrr, "reasons' churned_mrr_minor for \(reason)")
                        )
                    }
                }
            }
        }
        let w = try run.writer("reasons")
        let keys = agg.keys.sorted {
            ($0.channel == "(all)" ? "" : $0.channel, $0.category, $0.reason == "(all)" ? "" : $0.reason)
                < ($1.channel == "(all)" ? "" : $1.channel, $1.category, $1.reason == "(all)" ? "" : $1.reason)
        }
        for k in keys {
            let v = agg[k]!
            w.begin()
            w.line.key("channel")
            w.line.string(k.channel)
            w.line.key("category")
            w.line.string(k.category)
            w.line.key("reason")
            w.line.string(k.reason)
            w.line.key("customers")
            w.line.int(v.0)
            w.line.key("churned_mrr_minor")
            w.line.int(v.1)
            try w.end()
        }
    }

    // MARK: Cox model

    /// A fitted Cox model with its design's column names and terms.
    struct CoxFit {
        var result: CoxResult
        var names: [String]
        var terms: [(dimension: String, level: String, reference: String)]
        /// Covariate patterns of the design.
        var patterns: Int
        /// The design's columns as (dimension index, level), and its values by pattern, row-major.
        var columns: [(dim: Int, level: Int32)] = []
        var design: [Double] = []
        /// Each converted customer's pattern, in the order of `who`.
        var rowPattern: [Int32] = []
        /// Wall time of building the design and fitting, for the stderr summary only (manifests
        /// hold no times).
        var seconds: Double
    }

    /// Builds the one-hot design of `dims` by covariate pattern and fits the Cox model.
    static func fitCox(dims: [Dimension], durations: [Int32], events: [Bool], who: [Int]) -> CoxFit {
        let started = DispatchTime.now().uptimeNanoseconds
        // One-hot design; the reference level is the one with the most customers (ties by name).
        var names: [String] = []
        var terms: [(dimension: String, level: String, reference: String)] = []
        var columns: [(dim: Int, level: Int32)] = []
        for (di, d) in dims.enumerated() {
            var counts = [Int](repeating: 0, count: d.levels.count)
            for i in who where d.level[i] >= 0 { counts[Int(d.level[i])] += 1 }
            guard d.levels.count > 1 else { continue }
            let ref = d.levels.indices.max { (counts[$0], d.levels[$1]) < (counts[$1], d.levels[$0]) } ?? 0
            for l in d.levels.indices where l != ref && counts[l] > 0 {
                names.append("\(d.name)=\(d.levels[l])")
                terms.append((d.name, d.levels[l], d.levels[ref]))
                columns.append((di, Int32(l)))
            }
        }
        // The design by pattern: customers with the same level in every dimension share a row.
        let (rowPattern, patternLevels) = coxPatterns(dims: dims, who: who)
        let p = columns.count
        // Without dimensions every customer has the one empty pattern.
        let patternCount = dims.isEmpty ? (who.isEmpty ? 0 : 1) : patternLevels.count / dims.count
        var x = [Double](repeating: 0, count: patternCount * p)
        for k in 0..<patternCount {
            for (c, col) in columns.enumerated() where patternLevels[k * dims.count + col.dim] == col.level {
                x[k * p + c] = 1
            }
        }
        let result = CoxPH.fit(
            CoxInput(durations: durations, events: events, rowPattern: rowPattern, patterns: x, names: names),
            confidence: 0.95)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return CoxFit(
            result: result, names: names, terms: terms, patterns: patternCount, columns: columns, design: x,
            rowPattern: rowPattern, seconds: seconds)
    }

    /// Writes cox.jsonl and cox_model.json; returns the number of covariate patterns and the fit's
    /// wall time.
    static func writeCox(_ run: StageRun, _ fit: CoxFit, dims: [Dimension]) throws -> (patterns: Int, seconds: Double) {
        let result = fit.result
        let names = fit.names
        let terms = fit.terms
        let w = try run.writer("cox")
        for t in result.terms {
            guard let k = names.firstIndex(of: t.name) else { continue }
            w.begin()
            w.line.key("dimension")
            w.line.string(terms[k].dimension)
            w.line.key("level")
            w.line.string(terms[k].level)
            w.line.key("reference")
            w.line.string(terms[k].reference)
            w.line.key("coef")
            w.line.double(t.coef)
            w.line.key("se")
            w.line.double(t.se)
            w.line.key("hazard_ratio")
            w.line.double(t.hazardRatio)
            w.line.key("ci_lower")
            w.line.double(t.ciLower)
            w.line.key("ci_upper")
            w.line.double(t.ciUpper)
            w.line.key("z")
            w.line.double(t.z)
            w.line.key("p_value")
            w.line.double(t.pValue)
            try w.end()
        }
        func num(_ d: Double?) -> JSONValue {
            d.flatMap { $0.isFinite ? JSONValue.number($0.description) : nil } ?? .null
        }
        run.writeJSON(
            "cox_model",
            .object([
                ("n", .number(String(result.n))),
                ("events", .number(String(result.events))),
                ("log_likelihood", num(result.logLikelihood)),
                ("concordance", num(result.concordance)),
                ("iterations", .number(String(result.iterations))),
                ("converged", .bool(result.converged)),
                ("message", result.message.map { .string($0) } ?? .null),
                ("dimensions", .array(dims.map { .string($0.name) })),
                ("dropped_terms", .array(result.droppedTerms.map { .string($0) })),
            ]))
        return (fit.patterns, fit.seconds)
    }

    /// Writes at_risk.jsonl: every customer active at as_of with the fitted model's probability of
    /// churning in the next 90 days given the days it has survived (docs/metrics.md#accounts-at-risk).
    /// Written empty when the fit did not converge: its coefficients would not be estimates.
    static func writeAtRisk(
        _ run: StageRun, cfg: PipelineConfig, table: CustomerTable, fit: CoxFit,
        durations: [Int32], events: [Bool], who: [Int]
    ) throws {
        let w = try run.writer("at_risk")
        guard fit.result.converged, fit.rowPattern.count == who.count else { return }
        let coef = Dictionary(fit.result.terms.map { ($0.name, $0.coef) }, uniquingKeysWith: { a, _ in a })
        let beta = fit.names.map { coef[$0] ?? 0 }
        guard beta.allSatisfy(\.isFinite) else { return }
        let p = fit.columns.count
        let patternHazard = AccountsAtRisk.relativeHazards(
            design: fit.design, columns: p, rowPattern: fit.rowPattern, beta: beta)
        let baseline = BreslowBaseline(
            durations: durations, events: events, relativeHazard: fit.rowPattern.map { patternHazard[Int($0)] })
        // Each pattern's drivers: the fitted levels it holds with hazard ratios above 1.
        var patternDrivers: [[AtRiskAccount.Driver]?] = Array(repeating: nil, count: patternHazard.count)
        var rows: [AtRiskAccount] = []
        for (r, i) in who.enumerated() where table.mrrAtAsOf[i] > 0 {
            let k = Int(fit.rowPattern[r])
            if patternDrivers[k] == nil {
                var candidates: [AtRiskAccount.Driver] = []
                for j in 0..<p where fit.design[k * p + j] == 1 && beta[j] != 0 {
                    candidates.append(
                        .init(dimension: fit.terms[j].dimension, level: fit.terms[j].level, hazardRatio: exp(beta[j])))
                }
                patternDrivers[k] = AccountsAtRisk.drivers(candidates)
            }
            // Days survived so far, counted from the first start (as the censored duration is).
            let survived = Int64(cfg.asOf.raw) - Int64(table.firstStart[i]) + 1
            let prob = baseline.churnProbability(
                survived: survived, horizon: AccountsAtRisk.horizonDays, relativeHazard: patternHazard[k])
            let mrr = table.mrrAtAsOf[i]
            let arr = try CheckedMinor.product(mrr, 12, "the ARR (12 × MRR at as_of) of customer \(table.ids[i])")
            rows.append(
                AtRiskAccount(
                    customerID: table.ids[i],
                    touchTier: AccountsAtRisk.tier(
                        arrMinor: arr, high: cfg.touchTierHighMinor, low: cfg.touchTierLowMinor),
                    mrrMinor: mrr, relativeHazard: patternHazard[k], churnProb90d: prob,
                    expectedMRRLoss90dMinor: try AccountsAtRisk.expectedLoss(
                        probability: prob, mrrMinor: mrr, customer: table.ids[i]),
                    drivers: patternDrivers[k] ?? []))
        }
        for row in AccountsAtRisk.ranked(rows) {
            w.begin()
            row.write(w.line)
            try w.end()
        }
    }

    /// at_risk_backtest.json: the model refitted as of `cohort.backtest_months` before the last
    /// complete month, its top tenth of accounts against all on churn in the next 90 days
    /// (`AtRiskBacktest`). An object with `months` 0 when there is no backtest, or when the earlier
    /// fit does not converge or the 90 days are not yet over.
    static func writeAtRiskBacktest(
        _ run: StageRun, cfg: PipelineConfig, table: CustomerTable, dims: [Dimension],
        durations: [Int32], events: [Bool], who: [Int]
    ) {
        func none() { run.writeJSON("at_risk_backtest", .object([("months", .number("0"))])) }
        let months = cfg.backtestMonths
        let cutoff = (Month.lastComplete(asOf: cfg.asOf) - months).lastDay
        let horizon = Int32(AccountsAtRisk.horizonDays)
        guard months > 0, cutoff.raw + horizon <= cfg.asOf.raw else { return none() }
        let starts = who.map { table.firstStart[$0] }
        let (kept, dd, ee) = AtRiskBacktest.cut(starts: starts, durations: durations, events: events, cutoff: cutoff)
        let whoThen = kept.map { who[$0] }
        let fit = fitCox(dims: dims, durations: dd, events: ee, who: whoThen)
        guard fit.result.converged, fit.rowPattern.count == whoThen.count else { return none() }
        let coef = Dictionary(fit.result.terms.map { ($0.name, $0.coef) }, uniquingKeysWith: { a, _ in a })
        let beta = fit.names.map { coef[$0] ?? 0 }
        guard beta.allSatisfy(\.isFinite) else { return none() }
        let hazard = AccountsAtRisk.relativeHazards(
            design: fit.design, columns: fit.columns.count, rowPattern: fit.rowPattern, beta: beta)
        let baseline = BreslowBaseline(
            durations: dd, events: ee, relativeHazard: fit.rowPattern.map { hazard[Int($0)] })
        var probability: [Double] = []
        var churnedNext: [Bool] = []
        var ids: [String] = []
        for (k, r) in kept.enumerated() where !ee[k] {
            let end = starts[r] + durations[r]
            probability.append(
                baseline.churnProbability(
                    survived: Int64(dd[k]), horizon: Int64(horizon), relativeHazard: hazard[Int(fit.rowPattern[k])]))
            churnedNext.append(events[r] && end > cutoff.raw && end <= cutoff.raw + horizon)
            ids.append(table.ids[who[r]])
        }
        let b = AtRiskBacktest.tally(asOf: cutoff, probability: probability, churnedNext: churnedNext, ids: ids)
        func num(_ d: Double?) -> JSONValue { .number(formatting: d) }
        run.writeJSON(
            "at_risk_backtest",
            .object([
                ("months", .number(String(months))), ("as_of", .string(b.asOf.description)),
                ("horizon_days", .number(String(horizon))), ("accounts", .number(String(b.accounts))),
                ("accounts_churned", .number(String(b.accountsChurned))), ("base_churn_rate", num(b.baseRate)),
                ("top_decile_accounts", .number(String(b.topDecile))),
                ("top_decile_churned", .number(String(b.topDecileChurned))),
                ("top_decile_churn_rate", num(b.topDecileRate)), ("lift", num(b.lift)),
            ]))
    }

    /// Each customer's covariate pattern (its tuple of levels over `dims`, numbered in order of
    /// first appearance among `who`) and the patterns' levels, row-major by dimension.
    static func coxPatterns(dims: [Dimension], who: [Int]) -> (rowPattern: [Int32], levels: [Int32]) {
        // Combine one dimension at a time: (pattern so far, level) -> pattern.
        var rowPattern = [Int32](repeating: 0, count: who.count)
        var levels: [[Int32]] = [[]]
        for d in dims {
            var nextLevels: [[Int32]] = []
            let width = d.levels.count + 1
            let slots = levels.count * width
            // A dense table of (pattern, level) slots while it is small, else a dictionary.
            var dense = [Int32](repeating: -1, count: slots <= 1 << 22 ? slots : 0)
            var sparse: [Int: Int32] = [:]
            for (r, i) in who.enumerated() {
                let key = Int(rowPattern[r]) * width + Int(d.level[i] + 1)
                let found = dense.isEmpty ? sparse[key] : (dense[key] >= 0 ? dense[key] : nil)
                if let k = found {
                    rowPattern[r] = k
                } else {
                    let k = Int32(nextLevels.count)
                    if dense.isEmpty { sparse[key] = k } else { dense[key] = k }
                    nextLevels.append(levels[Int(rowPattern[r])] + [d.level[i]])
                    rowPattern[r] = k
                }
            }
            levels = nextLevels
        }
        return (rowPattern, levels.flatMap { $0 })
    }

    // MARK: activation and impact

    /// Activation per cohort and channel. A customer whose activation window has not closed by
    /// `as_of` (first start after `windowEnd`, i.e. `first_start + days > as_of + 1`) is left out
    /// of `customers` and `activated` and counted in `window_open`: including them would pull the
    /// newest cohort's rate down only because its customers have had less time.
    static func writeActivation(_ run: StageRun, table: CustomerTable, activated: [Bool]?, windowEnd: Int32) throws {
        let w = try run.writer("activation")
        guard let activated else { return }
        struct Key: Hashable, Comparable {
            var cohort: Int32
            var channel: String
            static func < (a: Key, b: Key) -> Bool {
                (a.cohort, a.channel == "(all)" ? "" : a.channel) < (b.cohort, b.channel == "(all)" ? "" : b.channel)
            }
        }
        var agg: [Key: (Int, Int, Int)] = [:]
        for i in 0..<table.count where table.converted(i) {
            let open = table.firstStart[i] > windowEnd
            for (cohort, ch) in [
                (Int32.min, "(all)"), (table.cohort[i], "(all)"), (table.cohort[i], table.channels[table.channel[i]]),
            ] {
                let k = Key(cohort: cohort, channel: ch)
                let v = agg[k] ?? (0, 0, 0)
                agg[k] = open ? (v.0, v.1, v.2 + 1) : (v.0 + 1, v.1 + (activated[i] ? 1 : 0), v.2)
            }
        }
        for k in agg.keys.sorted() {
            let v = agg[k]!
            w.begin()
            w.line.key("cohort")
            if k.cohort == Int32.min { w.line.string("(all)") } else { w.line.month(Month(raw: k.cohort)) }
            w.line.key("channel")
            w.line.string(k.channel)
            w.line.key("customers")
            w.line.int(v.0)
            w.line.key("activated")
            w.line.int(v.1)
            w.line.key("activation_rate")
            w.line.double(ratio(Int64(v.1), Int64(v.0)))
            w.line.key("window_open")
            w.line.int(v.2)
            try w.end()
        }
    }

    /// Success phases per cohort and channel: activation (closed windows only, as activation.jsonl),
    /// adoption (first three months passed) and expansion (12 complete months).
    static func writePhases(
        _ run: StageRun, cfg: PipelineConfig, table: CustomerTable, facts: CustomerFacts,
        activated: [Bool]?, adoptionBits: [UInt8]?
    ) throws {
        let w = try run.writer("phases")
        let windowEnd = cfg.asOf.raw + 1 - Int32(cfg.activationDays)
        let activation: SuccessPhases.Outcomes? = activated.map { a in
            (0..<table.count).map { i in table.converted(i) && table.firstStart[i] <= windowEnd ? a[i] : nil }
        }
        let adoption: SuccessPhases.Outcomes? = adoptionBits.map { b in
            (0..<table.count).map { i in
                SuccessPhases.adoptionObservable(firstStart: table.firstStart[i], asOf: cfg.asOf.raw)
                    ? SuccessPhases.adopted(bits: b[i], months: cfg.adoptionMonths) : nil
            }
        }
        let rows = SuccessPhases.rows(
            cohort: table.cohort, channel: table.channel.map { table.channels[$0] },
            converted: (0..<table.count).map(table.converted), activation: activation, adoption: adoption,
            expansion: facts.expanded)
        for r in rows {
            w.begin()
            SuccessPhases.write(r, w.line)
            try w.end()
        }
    }

    /// Revenue impact: per segment, the MRR a year kept if its monthly churn equalled the overall
    /// rate, `(rate - overall) × segment MRR at as_of × 12` (negative when the segment already
    /// churns less); and for `(all)`, what one point of monthly churn is worth a year.
    static func writeImpact(_ run: StageRun, table: CustomerTable, facts: CustomerFacts, dims: [Dimension]) throws {
        let w = try run.writer("impact")
        var base = 0
        var churned = 0
        var mrr: Int64 = 0
        for i in 0..<table.count {
            base += Int(facts.monthlyBase[i])
            churned += Int(facts.monthlyChurned[i])
            mrr = try CheckedMinor.sum(mrr, table.mrrAtAsOf[i], "impact's mrr_minor (all customers)")
        }
        let overall: Double? = base == 0 ? nil : Double(churned) / Double(base)
        w.begin()
        w.line.key("dimension")
        w.line.string("(all)")
        w.line.key("value")
        w.line.string("(all)")
        w.line.key("monthly_churn")
        w.line.double(overall)
        w.line.key("overall_monthly_churn")
        w.line.double(overall)
        w.line.key("mrr_minor")
        w.line.int(mrr)
        w.line.key("mrr_kept_per_year_minor")
        w.line.int(try CheckedMinor.rounded(Double(mrr) * 0.01 * 12, "impact's mrr_kept_per_year_minor"))
        try w.end()
        for d in dims {
            var b = [Int](repeating: 0, count: d.levels.count)
            var c = b
            var m = [Int64](repeating: 0, count: d.levels.count)
            for i in 0..<table.count where d.level[i] >= 0 {
                let l = Int(d.level[i])
                b[l] += Int(facts.monthlyBase[i])
                c[l] += Int(facts.monthlyChurned[i])
                m[l] = try CheckedMinor.sum(
                    m[l], table.mrrAtAsOf[i], "impact's mrr_minor for \(d.name) = \(d.levels[l])")
            }
            for (l, value) in d.levels.enumerated() {
                let rate: Double? = b[l] == 0 ? nil : Double(c[l]) / Double(b[l])
                w.begin()
                w.line.key("dimension")
                w.line.string(d.name)
                w.line.key("value")
                w.line.string(value)
                w.line.key("monthly_churn")
                w.line.double(rate)
                w.line.key("overall_monthly_churn")
                w.line.double(overall)
                w.line.key("mrr_minor")
                w.line.int(m[l])
                if let rate, let overall {
                    w.line.key("mrr_kept_per_year_minor")
                    w.line.int(
                        try CheckedMinor.rounded(
                            (rate - overall) * Double(m[l]) * 12,
                            "impact's mrr_kept_per_year_minor for \(d.name) = \(value)"))
                } else {
                    w.line.key("mrr_kept_per_year_minor")
                    w.line.null()
                }
                try w.end()
            }
        }
    }
}
