/// Retention over windows from snapshot A to snapshot B (docs/metrics.md#windows).
///
/// Base = customers with MRR > 0 at A. `logo_churn_rate` = share of the base not active at B;
/// `nrr = Σ MRR_B / Σ MRR_A`; `grr = Σ min(MRR_B, MRR_A) / Σ MRR_A`; `upsell_rate` = share of the
/// base whose MRR on the products held at A grew strictly; `cross_sell_rate` = share of the base
/// holding at B a product not held at A. Kinds: `month` (A = s(m-1)), `quarter` (quarter-end
/// months, A = s(m-3)) and `trailing_12m` (A = s(m-12)).
public struct WindowsAccumulator {
    public enum Kind: Int, CaseIterable {
        case month, quarter, trailing12m
        public var name: String { ["month", "quarter", "trailing_12m"][rawValue] }
        public var span: Int { [1, 3, 12][rawValue] }
    }

    public struct Cell: Equatable, GridCell {
        public var base = 0, retained = 0, upsell = 0, crossSell = 0
        public var baseMRR: Int64 = 0, endMRR: Int64 = 0, grr: Int64 = 0
        public init() {}
        public mutating func add(_ o: Cell, overflow: inout Bool) {
            base += o.base
            retained += o.retained
            upsell += o.upsell
            crossSell += o.crossSell
            CheckedMinor.add(&baseMRR, o.baseMRR, &overflow)
            CheckedMinor.add(&endMRR, o.endMRR, &overflow)
            CheckedMinor.add(&grr, o.grr, &overflow)
        }
        public var logoChurnRate: Double? { base == 0 ? nil : Double(base - retained) / Double(base) }
        public var nrr: Double? { ratio(endMRR, baseMRR) }
        public var grrRate: Double? { ratio(grr, baseMRR) }
        public var upsellRate: Double? { base == 0 ? nil : Double(upsell) / Double(base) }
        public var crossSellRate: Double? { base == 0 ? nil : Double(crossSell) / Double(base) }
    }

    public let firstMonth: Month
    public let lastMonth: Month
    public let channels: Int
    /// One month × group grid per kind (groups: the channel slots, then `(all)` at `channels`).
    private(set) var grids: [MonthChannelGrid<Cell>]
    /// The cells, kind by kind, channel by channel from each channel's start, then `(all)`.
    public var cells: [Cell] { grids.flatMap(\.cells) }
    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public var overflow: Bool { grids.contains { $0.overflow } }

    /// `channelStarts`: per channel, the month its first customer started paying (nil: every
    /// channel from `firstMonth`); a channel has windows ending from then on, `(all)` from `firstMonth`.
    public init(firstMonth: Month, lastMonth: Month, channels: Int, channelStarts: [Month]? = nil) {
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.channels = channels
        let starts = channelStarts.map { $0.map { Int($0.raw - firstMonth.raw) } + [0] }
        grids = Kind.allCases.map { _ in
            MonthChannelGrid(firstMonth: firstMonth, lastMonth: lastMonth, groups: channels + 1, starts: starts)
        }
    }

    /// Months from `firstMonth` through `lastMonth` (0 when there are none).
    public var months: Int { grids[0].months }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: WindowsAccumulator) {
        for k in grids.indices { grids[k].merge(o.grids[k]) }
    }

    public func cell(_ kind: Kind, month m: Month, channel g: Int) -> Cell {
        grids[kind.rawValue].cell(month: grids[kind.rawValue].monthIndex(m), group: g)
    }

    public mutating func add(channel: Int, snapshots s: CustomerSnapshots) {
        guard months > 0, let lastPaying = s.mrr.lastIndex(where: { $0 > 0 }) else { return }
        // A window counts the customer only when it paid at the window's start `a`, so only the
        // windows starting in [first snapshot, last paying snapshot] can count it.
        let firstStart = Int(s.firstMonth.raw - firstMonth.raw)
        for kind in Kind.allCases {
            let lo = max(0, firstStart + kind.span)
            let hi = min(months, firstStart + lastPaying + kind.span + 1)
            guard lo < hi else { continue }
            WindowsAccumulator.add(
                kind, ends: lo..<hi, channel: channel, total: channels, snapshots: s, to: &grids[kind.rawValue])
        }
    }

    /// Counts one customer in every window of `kind` whose base holds it, for its channel and the
    /// `total` group (`(all)`). One grid in, so the hot loop indexes one array.
    /// `ends`: the month indices of the windows' ends to look at (those whose start can hold it).
    private static func add(
        _ kind: Kind, ends: Range<Int>, channel: Int, total: Int, snapshots s: CustomerSnapshots,
        to grid: inout MonthChannelGrid<Cell>
    ) {
        let firstMonth = grid.firstMonth
        grid.withDenseCells { cells, overflow in
            @inline(__always) func count(
                _ c: UnsafeMutablePointer<Cell>, _ mA: Int64, _ mB: Int64, upsell: Bool, crossSold: Bool
            ) {
                c.pointee.base += 1
                if mB > 0 { c.pointee.retained += 1 }
                CheckedMinor.add(&c.pointee.baseMRR, mA, &overflow)
                CheckedMinor.add(&c.pointee.endMRR, mB, &overflow)
                CheckedMinor.add(&c.pointee.grr, min(mA, mB), &overflow)
                if upsell { c.pointee.upsell += 1 }
                if crossSold { c.pointee.crossSell += 1 }
            }
            let channelFrom = cells.start(of: channel)
            for mi in ends {
                let b = firstMonth + mi
                if kind == .quarter, !b.endsQuarter { continue }
                let a = b - kind.span
                let mA = s.at(a)
                guard mA > 0 else { continue }
                let mB = s.at(b)
                var heldA: Int64 = 0
                var heldB: Int64 = 0
                var crossSold = false
                for p in 0..<s.products.count {
                    let pa = s.at(a, product: p)
                    let pb = s.at(b, product: p)
                    if pa > 0 {
                        CheckedMinor.add(&heldA, pa, &overflow)
                        CheckedMinor.add(&heldB, pb, &overflow)
                    } else if pb > 0 {
                        crossSold = true
                    }
                }
                // The customer's channel (which starts no later than the window's start, when the
                // customer paid), then (all).
                if mi >= channelFrom {
                    count(cells.at(month: mi, group: channel), mA, mB, upsell: heldB > heldA, crossSold: crossSold)
                }
                count(cells.at(month: mi, group: total), mA, mB, upsell: heldB > heldA, crossSold: crossSold)
            }
        }
    }

    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow { throw MoneyOverflow(what: "the retention windows' MRR totals (base_mrr_minor, end_mrr_minor)") }
        for kind in Kind.allCases {
            for mi in 0..<months {
                let b = firstMonth + mi
                if kind == .quarter, !b.endsQuarter { continue }
                // A channel's windows start at its first customer's month (the ones before are empty).
                for g in [channels] + order where grids[kind.rawValue].has(month: mi, group: g) {
                    try w.write(
                        WindowRecord(
                            kind: kind, month: b, channel: g == channels ? "(all)" : channelNames[g],
                            grids[kind.rawValue].cell(month: mi, group: g)
                        ))
                }
            }
        }
    }
}
