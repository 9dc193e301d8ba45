/// Overflow-checked arithmetic on amounts in minor units (cents, yen), for every sum and product
/// of money the stages compute.
///
/// Each subscription's MRR is bounded at ingest (`maxMRR`), but totals over many customers or
/// many subscriptions can still pass 64 bits; they end in `MoneyOverflow` (exit 1), never a trap.
/// Hot loops accumulate with `add(_:_:_:)`, which records overflow in a flag checked once when
/// the totals are written.
public enum CheckedMinor {
    /// The largest MRR one subscription may have, in report-currency minor units (10^15: ten
    /// trillion dollars a month in cents). Rows above it are rejected at ingest.
    public static let maxMRR: Int64 = 1_000_000_000_000_000

    /// `a + b`, throwing `MoneyOverflow` naming `what` when it does not fit 64 bits.
    @inline(__always)
    public static func sum(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw MoneyOverflow(what: what()) }
        return r
    }

    /// `a - b`, throwing `MoneyOverflow` naming `what` when it does not fit 64 bits.
    @inline(__always)
    public static func difference(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws -> Int64 {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { throw MoneyOverflow(what: what()) }
        return r
    }

    /// `a × k`, throwing `MoneyOverflow` naming `what` when it does not fit 64 bits.
    @inline(__always)
    public static func product(_ a: Int64, _ k: Int64, _ what: @autoclosure () -> String) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: k)
        if o { throw MoneyOverflow(what: what()) }
        return r
    }

    /// A rounded `Double` amount as minor units, throwing when it is not finite or does not fit.
    public static func rounded(_ x: Double, _ what: @autoclosure () -> String) throws -> Int64 {
        let r = x.rounded()
        // 2^63 is exactly representable; anything at or above it does not fit Int64.
        guard r.isFinite, r >= -9_223_372_036_854_775_808.0, r < 9_223_372_036_854_775_808.0 else {
            throw MoneyOverflow(what: what())
        }
        return Int64(r)
    }

    /// `a += b`, setting `overflow` instead of trapping when the sum does not fit 64 bits (the
    /// value is then meaningless; the caller throws before writing it).
    @inline(__always)
    public static func add(_ a: inout Int64, _ b: Int64, _ overflow: inout Bool) {
        let (r, o) = a.addingReportingOverflow(b)
        a = r
        overflow = overflow || o
    }

    /// `a -= b`, setting `overflow` instead of trapping.
    @inline(__always)
    public static func subtract(_ a: inout Int64, _ b: Int64, _ overflow: inout Bool) {
        let (r, o) = a.subtractingReportingOverflow(b)
        a = r
        overflow = overflow || o
    }
}
