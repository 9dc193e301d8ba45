import CFileIO
import Foundation

/// One row of churn-attribution's at_risk.jsonl: an account active at as_of with the Cox model's
/// probability of churning in the next 90 days and the MRR that probability puts at stake
/// (docs/metrics.md#accounts-at-risk).
public struct AtRiskRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "at_risk"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let customerID: StaticString = "customer_id"
        static let touchTier: StaticString = "touch_tier"
        static let relativeHazard: StaticString = "relative_hazard"
        static let churnProb90d: StaticString = "churn_prob_90d"
        static let expectedMRRLoss90dMinor: StaticString = "expected_mrr_loss_90d_minor"
        static let drivers: StaticString = "drivers"
        /// The members of each driver object.
        static let driverDimension: StaticString = "dimension"
        static let driverLevel: StaticString = "level"
        static let driverHazardRatio: StaticString = "hazard_ratio"
    }

    /// A covariate level of the account that raises its hazard, with the level's hazard ratio
    /// against its dimension's reference level (as in cox.jsonl).
    public struct Driver: Equatable, Sendable {
        public var dimension: String
        public var level: String
        public var hazardRatio: Double

    }

    public var customerID: String
    public var touchTier: String
    public var mrrMinor: Int64
    public var relativeHazard: Double
    public var churnProb90d: Double
    public var expectedMRRLoss90dMinor: Int64
    public var drivers: [Driver]

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.customerID, customerID)
        line.field(Key.touchTier, touchTier)
        line.field(Key.mrrMinor, mrrMinor)
        line.field(Key.relativeHazard, relativeHazard)
        line.field(Key.churnProb90d, churnProb90d)
        line.field(Key.expectedMRRLoss90dMinor, expectedMRRLoss90dMinor)
        line.key(Key.drivers)
        line.beginArray()
        for d in drivers {
            line.beginObject()
            line.field(Key.driverDimension, d.dimension)
            line.field(Key.driverLevel, d.level)
            line.field(Key.driverHazardRatio, d.hazardRatio)
            line.endObject()
        }
        line.endArray()
    }

}

extension AtRiskRecord {
    /// Reads the current line of `r`; nil when `customer_id`, `touch_tier` or `mrr_minor` is
    /// missing (missing numbers of a driver or the row read as NaN, a missing loss as 0).
    public init?(reading r: JSONLReader) {
        guard let id = r.string(Key.customerID), let tier = r.string(Key.touchTier), let mrr = r.int(Key.mrrMinor)
        else { return nil }
        let dimensionKey = Key.driverDimension.description
        let levelKey = Key.driverLevel.description
        let hazardKey = Key.driverHazardRatio.description
        var drivers: [Driver] = []
        if case .array(let items)? = r.value(Key.drivers) {
            for case .object(let fields) in items {
                var dim = ""
                var level = ""
                var hr = Double.nan
                for (k, v) in fields {
                    switch v {
                    case .string(let s) where k == dimensionKey: dim = s
                    case .string(let s) where k == levelKey: level = s
                    case .number(let s) where k == hazardKey: hr = Double(s) ?? .nan
                    default: break
                    }
                }
                drivers.append(Driver(dimension: dim, level: level, hazardRatio: hr))
            }
        }
        self.init(
            customerID: id, touchTier: tier, mrrMinor: mrr, relativeHazard: r.double(Key.relativeHazard) ?? .nan,
            churnProb90d: r.double(Key.churnProb90d) ?? .nan,
            expectedMRRLoss90dMinor: r.minor(Key.expectedMRRLoss90dMinor),
            drivers: drivers)
    }

    /// The touch tier of the reader's current line when it is a whole row (the fields
    /// `init?(reading:)` requires), without reading the rest: a reader that wants only the top of
    /// each tier skips a million rows cheaply.
    public static func touchTier(reading r: JSONLReader) -> String? {
        guard r.kind(Key.customerID) == .string, r.int(Key.mrrMinor) != nil else { return nil }
        return r.string(Key.touchTier)
    }

    /// The touch tier of a line as this record's `write` lays it out, read from its first bytes:
    /// `{"customer_id":"…","touch_tier":"…","mrr_minor":<integer>` with both strings free of
    /// escapes, the tier in ASCII, then `,` or `}`, and no other `touch_tier` key. Nil for any
    /// other line (read it whole then): when not nil, it is the tier `touchTier(reading:)` gives
    /// for the line, without indexing the rest of it.
    static func leadingTouchTier(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let p = line.baseAddress else { return nil }
        let end = line.count
        var i = 0
        func literal(_ bytes: [UInt8]) -> Bool {
            guard end - i >= bytes.count,
                bytes.withUnsafeBufferPointer({ memcmp(p + i, $0.baseAddress!, $0.count) }) == 0
            else { return false }
            i += bytes.count
            return true
        }
        // A string's plain text up to its closing quote (nil at an escape or a control character).
        func plainString() -> Range<Int>? {
            let from = i
            let stop = JSONBytes.nextSpecial(p, from: i, end: end)
            guard stop < end, p[stop] == 34 else { return nil }
            i = stop + 1
            return from..<stop
        }
        guard literal(LeadingBytes.customerID), plainString() != nil, literal(LeadingBytes.touchTier),
            let tier = plainString(), literal(LeadingBytes.mrr)
        else { return nil }
        if i < end, p[i] == 45 { i += 1 }
        let digits = i
        while i < end, p[i] &- 48 <= 9 { i += 1 }
        // Up to 18 digits always fit an Int64.
        guard i > digits, i - digits <= 18, i < end, p[i] == 44 || p[i] == 125 else { return nil }
        // An ASCII tier reads as the same string; a second touch_tier key later on the line would
        // be the one `touchTier(reading:)` finds (it looks after mrr_minor first). Inside a string
        // a quote is escaped, so these bytes after it can only be a key.
        guard tier.allSatisfy({ p[$0] < 0x80 }),
            LeadingBytes.touchTierKey.withUnsafeBufferPointer({ k in
                cfileio_contains(p + i, UInt(end - i), k.baseAddress!, UInt(k.count)) == 0
            })
        else { return nil }
        return UnsafeBufferPointer(rebasing: line[tier])
    }

    private enum LeadingBytes {
        static let customerID = Array("{\"\(Key.customerID)\":\"".utf8)
        static let touchTier = Array(",\"\(Key.touchTier)\":\"".utf8)
        static let mrr = Array(",\"\(Key.mrrMinor)\":".utf8)
        static let touchTierKey = Array("\"\(Key.touchTier)\":".utf8)
    }

}
