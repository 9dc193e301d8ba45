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

    public struct Cell: Equatable {
        public var base = 0, retained = 0, upsell = 0, crossSell = 0
        public var baseMRR: Int64 = 0, endMRR: Int64 = 0, grr: Int64 = 0
        public var logoChurnRate: Double? { base == 0 ? nil : Double(base - retained) / Double(base) }
        public var nrr: Double? { ratio(endMRR, baseMRR) }
        public var grrRate: Double? { ratio(grr, baseMRR) }
        public var upsellRate: Double? { base == 0 ? nil : Double(upsell) / Double(base) }
        public var crossSellRate: Double? { base == 0 ? nil : Double(crossSell) / Double(base) }
    }

    public let firstMonth: Month
    public let lastMonth: Month
    public let channels: Int
    public private(set) var cells: [Cell]
    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public private(set) var overflow = false

    public init(firstMonth: Month, lastMonth: Month, channels: Int) {
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.channels = channels
        cells = Array(repeating: Cell(), count: 3 * max(0, Int(lastMonth.raw - firstMonth.raw) + 1) * (channels + 1))
    }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: WindowsAccumulator) {
        precondition(o.cells.count == cells.count)
        overflow = overflow || o.overflow
        for i in cells.indices {
            cells[i].base += o.cells[i].base
            cells[i].retained += o.cells[i].retained
            cells[i].upsell += o.cells[i].upsell
            cells[i].crossSell += o.cells[i].crossSell
            CheckedMinor.add(&cells[i].baseMRR, o.cells[i].baseMRR, &overflow)
            CheckedMinor.add(&cells[i].endMRR, o.cells[i].endMRR, &overflow)
            CheckedMinor.add(&cells[i].grr, o.cells[i].grr, &overflow)
        }
    }

    @inline(__always) func slot(_ kind: Kind, _ mi: Int, _ g: Int) -> Int {
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        return (kind.rawValue * months + mi) * (channels + 1) + g
    }

    public func cell(_ kind: Kind, month m: Month, channel g: Int) -> Cell {
        cells[slot(kind, Int(m.raw - firstMonth.raw), g)]
    }

    public mutating func add(channel: Int, snapshots s: CustomerSnapshots) {
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        guard months > 0, !s.mrr.isEmpty else { return }
        for kind in Kind.allCases {
            for mi in 0..<months {
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
                for g in [channel, channels] {
                    let i = slot(kind, mi, g)
                    cells[i].base += 1
                    if mB > 0 { cells[i].retained += 1 }
                    CheckedMinor.add(&cells[i].baseMRR, mA, &overflow)
                    CheckedMinor.add(&cells[i].endMRR, mB, &overflow)
                    CheckedMinor.add(&cells[i].grr, min(mA, mB), &overflow)
                    if heldB > heldA { cells[i].upsell += 1 }
                    if crossSold { cells[i].crossSell += 1 }
                }
            }
        }
    }

    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow { throw MoneyOverflow(what: "the retention windows' MRR totals (base_mrr_minor, end_mrr_minor)") }
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        guard months > 0 else { return }
        for kind in Kind.allCases {
            for mi in 0..<months {
                let b = firstMonth + mi
                if kind == .quarter, !b.endsQuarter { continue }
                for g in [channels] + order {
                    let c = cells[slot(kind, mi, g)]
                    w.begin()
                    w.line.key("kind")
                    w.line.string(kind.name)
                    w.line.key("month")
                    w.line.month(b)
                    w.line.key("from")
                    w.line.day((b - kind.span).lastDay)
                    w.line.key("to")
                    w.line.day(b.lastDay)
                    w.line.key("channel")
                    w.line.string(g == channels ? "(all)" : channelNames[g])
                    w.line.key("base_customers")
                    w.line.int(c.base)
                    w.line.key("retained_customers")
                    w.line.int(c.retained)
                    w.line.key("logo_churn_rate")
                    w.line.double(c.logoChurnRate)
                    w.line.key("base_mrr_minor")
                    w.line.int(c.baseMRR)
                    w.line.key("end_mrr_minor")
                    w.line.int(c.endMRR)
                    w.line.key("nrr")
                    w.line.double(c.nrr)
                    w.line.key("grr")
                    w.line.double(c.grrRate)
                    w.line.key("upsell_rate")
                    w.line.double(c.upsellRate)
                    w.line.key("cross_sell_rate")
                    w.line.double(c.crossSellRate)
                    try w.end()
                }
            }
        }
    }
}
