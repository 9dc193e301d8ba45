/// A calendar date stored as days since 1970-01-01 (proleptic Gregorian, no time zone).
///
/// Integer dates keep the hot paths free of `Date`/`Calendar`: comparing, subtracting and
/// bucketing into months are plain integer operations.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }

    /// The date for a year, month (1...12) and day (1...31); nil when the day does not exist
    /// (2024-02-30, 2023-02-29, month 13).
    @inlinable public init?(year: Int, month: Int, day: Int) {
        guard month >= 1, month <= 12, day >= 1, year >= 1, year <= 9999,
            day <= Day.daysIn(year: year, month: month)
        else { return nil }
        let m = year * 12 + month - 1 - Int(CalendarTable.firstMonth)
        if m >= 0, m < CalendarTable.months {
            self.raw = CalendarTable.monthStarts[m] + Int32(day - 1)
        } else {
            self.raw = Int32(Day.daysFromCivil(year, month, day))
        }
    }

    @inlinable public static func < (a: Day, b: Day) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: Day, n: Int) -> Day { Day(raw: a.raw + Int32(n)) }
    @inlinable public static func - (a: Day, n: Int) -> Day { Day(raw: a.raw - Int32(n)) }
    /// Whole days from `b` to `a`.
    @inlinable public static func - (a: Day, b: Day) -> Int { Int(a.raw) - Int(b.raw) }

    @inlinable public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a civil date (H. Hinnant's `days_from_civil`).
    @inlinable public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil (year, month, day) of this date.
    @inlinable public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(raw) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The month this date falls in.
    @inlinable public var month: Month {
        let i = Int(raw)
        if i >= 0, i < CalendarTable.days {
            return Month(raw: CalendarTable.firstMonth + Int32(CalendarTable.monthOfDay[i]))
        }
        let c = civil
        return Month(year: c.year, month: c.month)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD` as ASCII bytes.
    @inlinable public func appendISO(to out: inout [UInt8]) {
        let i = Int(raw)
        if i >= 0, i < CalendarTable.days {
            CalendarTable.iso.withUnsafeBufferPointer { t in
                out.append(contentsOf: UnsafeBufferPointer(rebasing: t[(i * 10)..<(i * 10 + 10)]))
            }
            return
        }
        Day.appendDigits(civil, to: &out)
    }

    /// `YYYY-MM-DD` of a civil date, ten bytes; a year outside 0...9999 (a timestamp's offset can
    /// move 0001-01-01 into year 0 or 9999-12-31 into 10000) is written in full, with a sign when
    /// negative, rather than cut to four digits, so it can never read back as another date.
    @usableFromInline static func appendDigits(_ c: (year: Int, month: Int, day: Int), to out: inout [UInt8]) {
        let y = c.year
        if y < 0 || y > 9999 {
            // Outside four digits (only in messages about implausible dates): the whole year.
            out.append(contentsOf: Array(((y < 0 ? "-" : "") + String(y.magnitude)).utf8))
        } else {
            out.append(UInt8(48 + (y / 1000) % 10))
            out.append(UInt8(48 + (y / 100) % 10))
            out.append(UInt8(48 + (y / 10) % 10))
            out.append(UInt8(48 + y % 10))
        }
        out.append(45)
        out.append(UInt8(48 + c.month / 10))
        out.append(UInt8(48 + c.month % 10))
        out.append(45)
        out.append(UInt8(48 + c.day / 10))
        out.append(UInt8(48 + c.day % 10))
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        var s = text
        guard let d = s.withUTF8({ Day.parseISO($0) }) else { return nil }
        self = d
    }

    /// Parses exactly `YYYY-MM-DD` from bytes.
    @inlinable public static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        guard b.count == 10, b[4] == 45, b[7] == 45, let y = decimal(b, 0..<4), let m = decimal(b, 5..<7),
            let d = decimal(b, 8..<10)
        else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// The number the ASCII digits at `range` of `b` spell (nil when one is not a digit); the
    /// fixed-width fields of ISO dates and months.
    @inlinable static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var n = 0
        for i in range {
            let v = Int(b[i]) - 48
            guard v >= 0, v <= 9 else { return nil }
            n = n * 10 + v
        }
        return n
    }
}

/// Month starts, and the month and `YYYY-MM-DD` text of every day, from 1970 to 2099, so the hot
/// paths (parsing and writing dates, bucketing days into months, month-end snapshots) look dates
/// up instead of converting them; dates outside those years fall back to the arithmetic in `Day`,
/// which built the tables.
@usableFromInline enum CalendarTable {
    /// `Month.raw` of 1970-01, the first month in the tables.
    @usableFromInline static let firstMonth = Int32(1970 * 12)
    /// Months in the tables: 1970-01 through 2099-12.
    @usableFromInline static let months = 130 * 12
    /// Days in the tables: 1970-01-01 (`Day.raw` 0) up to, not including, 2100-01-01.
    @usableFromInline static let days = Day.daysFromCivil(2100, 1, 1)

    /// `Day.raw` of the first day of each month from 1970-01, and of 2100-01 last (`months + 1`).
    @usableFromInline static let monthStarts: [Int32] = (0...months).map { i in
        Int32(Day.daysFromCivil(1970 + i / 12, i % 12 + 1, 1))
    }

    /// `YYYY-MM-DD` of every day in the tables, ten bytes each, so writers copy a date instead of
    /// converting it to year, month and day on every row.
    @usableFromInline static let iso: [UInt8] = {
        var t: [UInt8] = []
        t.reserveCapacity(days * 10)
        for r in 0..<days { Day.appendDigits(Day(raw: Int32(r)).civil, to: &t) }
        return t
    }()

    /// For each day from 1970-01-01, its month as months since 1970-01.
    @usableFromInline static let monthOfDay: [UInt16] = {
        var t = [UInt16](repeating: 0, count: days)
        for m in 0..<months {
            for d in Int(monthStarts[m])..<Int(monthStarts[m + 1]) { t[d] = UInt16(m) }
        }
        return t
    }()
}
