/// A calendar month stored as `year * 12 + (month - 1)`, so consecutive months differ by one.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible, Strideable {
    public var raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }
    @inlinable public init(year: Int, month: Int) { raw = Int32(year * 12 + month - 1) }

    @inlinable public var year: Int { Int(raw) / 12 }
    @inlinable public var monthOfYear: Int { Int(raw) % 12 + 1 }

    @inlinable public static func < (a: Month, b: Month) -> Bool { a.raw < b.raw }
    @inlinable public func advanced(by n: Int) -> Month { Month(raw: raw + Int32(n)) }
    @inlinable public func distance(to other: Month) -> Int { Int(other.raw - raw) }

    /// The first calendar day of the month.
    @inlinable public var firstDay: Day {
        let i = Int(raw) - Int(CalendarTable.firstMonth)
        if i >= 0, i < CalendarTable.months { return Day(raw: CalendarTable.monthStarts[i]) }
        return Day(raw: Int32(Day.daysFromCivil(year, monthOfYear, 1)))
    }

    /// The month-end snapshot `s(m)`: the last calendar day of the month.
    @inlinable public var lastDay: Day {
        let i = Int(raw) - Int(CalendarTable.firstMonth)
        if i >= 0, i < CalendarTable.months { return Day(raw: CalendarTable.monthStarts[i + 1] - 1) }
        return Day(raw: Int32(Day.daysFromCivil(year, monthOfYear, Day.daysIn(year: year, month: monthOfYear))))
    }

    /// True for March, June, September and December.
    @inlinable public var endsQuarter: Bool { monthOfYear % 3 == 0 }

    /// `YYYY-MM`.
    public var description: String {
        var bytes: [UInt8] = []
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inlinable public func appendISO(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 7) { text in
            writeISO(to: text.baseAddress!)
            out.append(contentsOf: text)
        }
    }

    /// Writes the seven bytes of `YYYY-MM` at `p`.
    @inlinable public func writeISO(to p: UnsafeMutablePointer<UInt8>) {
        let y = year
        let m = monthOfYear
        p[0] = UInt8(48 + (y / 1000) % 10)
        p[1] = UInt8(48 + (y / 100) % 10)
        p[2] = UInt8(48 + (y / 10) % 10)
        p[3] = UInt8(48 + y % 10)
        p[4] = 45
        p[5] = UInt8(48 + m / 10)
        p[6] = UInt8(48 + m % 10)
    }

    /// Parses `YYYY-MM` from UTF-8 bytes.
    @inlinable public static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Month? {
        guard b.count == 7, b[4] == 45, let y = Day.decimal(b, 0..<4), let m = Day.decimal(b, 5..<7),
            (1...12).contains(m)
        else { return nil }
        return Month(year: y, month: m)
    }

    /// Parses exactly `YYYY-MM`.
    public init?(iso text: String) {
        var s = text
        guard let m = s.withUTF8({ Month.parseISO($0) }) else { return nil }
        self = m
    }
}
