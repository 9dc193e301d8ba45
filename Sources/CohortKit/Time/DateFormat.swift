import Foundation

/// How a source writes its dates (`date_format` in a source entry).
///
/// Every format also accepts a timestamp whose date part is in that format, followed by `T` or a
/// space, a time and an optional offset (`Z`, `+09:00`, `+0900`); the timestamp becomes a calendar
/// date in the source's time zone (UTC unless the source sets `timezone`).
public enum DateFormat: String, CaseIterable, Sendable {
    case iso = "yyyy-MM-dd"
    case slashYMD = "yyyy/MM/dd"
    case usMDY = "MM/dd/yyyy"
    case euDMY = "dd/MM/yyyy"
    case dotDMY = "dd.MM.yyyy"

    /// Parses a date or timestamp; nil when it is not a real date in this format.
    @inlinable public func parse(_ b: UnsafeBufferPointer<UInt8>, zone: SourceTimeZone = .utc) -> Day? {
        // The common case, a plain ISO date, without the general scanner.
        if self == .iso, b.count == 10 { return Day.parseISO(b) }
        var i = 0
        guard let date = parseDatePart(b, &i) else { return nil }
        if i == b.count { return date }
        // A timestamp: the date part must be followed by a time.
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        return DateFormat.applyTime(b, &i, date: date, zone: zone)
    }

    /// The formats other than this one that read `b` as a real date, for a reject's hint.
    /// Example: `31/12/2024` under `yyyy-MM-dd` → `[dd/MM/yyyy]`.
    public func alternatives(for b: UnsafeBufferPointer<UInt8>) -> [DateFormat] {
        DateFormat.allCases.filter { $0 != self && $0.parse(b) != nil }
    }

    /// Why `b` is not a date in this format, with a guess at the format it is in:
    /// `"31/12/2024" is not a date in format yyyy-MM-dd; it looks like dd/MM/yyyy: set "date_format": "dd/MM/yyyy" for this source`.
    public func rejectReason(_ b: UnsafeBufferPointer<UInt8>, shown: String) -> String {
        rejection(b, shown: shown).reason
    }

    /// The reason group of a value written in a format's shape whose day does not exist.
    public static let noSuchDayGroup = "no such day in the calendar"

    /// Why `b` is not a date in this format (`rejectReason`) and the reason's group (the reason
    /// without the value). Text in this format's shape whose month or day does not exist, which
    /// no other format reads either, says so (`"2025-02-29" has the format yyyy-MM-dd but no such
    /// day: 2025 is not a leap year`, group `noSuchDayGroup`); anything else is "not a date in
    /// format …" (group `not a date in format yyyy-MM-dd`), with the formats that read it.
    public func rejection(_ b: UnsafeBufferPointer<UInt8>, shown: String) -> (reason: String, group: String) {
        let alt = alternatives(for: b)
        if alt.isEmpty, let why = noSuchDay(b) {
            return ("\"\(shown)\" has the format \(rawValue) but no such day: \(why)", DateFormat.noSuchDayGroup)
        }
        var reason = "\"\(shown)\" is not a date in format \(rawValue)"
        if alt.count == 1 {
            reason += "; it looks like \(alt[0].rawValue): set \"date_format\": \"\(alt[0].rawValue)\" for this source"
        } else if alt.count > 1 {
            reason +=
                "; it looks like " + alt.map(\.rawValue).joined(separator: " or ")
                + ": set \"date_format\" for this source to the right one"
        }
        return (reason, "not a date in format \(rawValue)")
    }

    /// Why `b`, written in this format's shape (digits and separators where they belong, and for
    /// a timestamp a valid time after them), names no day of the calendar: `there is no month 13`,
    /// `there is no month 23 (are the day and the month swapped?)` when the swap is a day,
    /// `2025 is not a leap year`, `April 2024 has 30 days`. Nil when `b` is a real date or is not
    /// in this format's shape.
    public func noSuchDay(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        guard let (y, m, d) = datePartFields(b, &i), Day(year: y, month: m, day: d) == nil else { return nil }
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard DateFormat.applyTime(b, &i, date: Day(raw: 0), zone: .utc) != nil else { return nil }
        }
        let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        if y < 1 { return "there is no year \(year) (years start at 0001)" }
        guard (1...12).contains(m) else {
            // A day-month swap typed by hand (2024-23-06 for 2024-06-23) is the usual cause.
            let swapped = m > 12 && Day(year: y, month: d, day: m) != nil
            return "there is no month \(m)" + (swapped ? " (are the day and the month swapped?)" : "")
        }
        if d < 1 { return "there is no day \(d)" }
        if m == 2, d == 29 { return "\(year) is not a leap year" }
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(names[m - 1]) \(year) has \(Day.daysIn(year: y, month: m)) days"
    }

    @usableFromInline func parseDatePart(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Day? {
        guard let (y, m, d) = datePartFields(b, &i) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// Year, month and day of the date part at the start of `b` as written in this format (not
    /// checked against the calendar), with `i` moved past it; nil when the digits and separators
    /// are not this format's.
    @inline(__always)
    func datePartFields(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> (Int, Int, Int)? {
        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var v = 0
            var n = 0
            while i < b.count, n < maxDigits, b[i] >= 48, b[i] <= 57 {
                v = v * 10 + Int(b[i] - 48)
                i += 1
                n += 1
            }
            return n >= minDigits ? v : nil
        }
        func separator(_ s: UInt8) -> Bool {
            guard i < b.count, b[i] == s else { return false }
            i += 1
            return true
        }
        switch self {
        case .iso, .slashYMD:
            let sep: UInt8 = self == .iso ? 45 : 47
            // Month and day take one or two digits in every format (`2024-1-5` is 5 January).
            guard let y = number(4, 4), separator(sep), let m = number(1, 2), separator(sep), let d = number(1, 2)
            else { return nil }
            return (y, m, d)
        case .usMDY, .euDMY, .dotDMY:
            let sep: UInt8 = self == .dotDMY ? 46 : 47
            guard let a = number(1, 2), separator(sep), let c = number(1, 2), separator(sep),
                let y = number(4, 4)
            else { return nil }
            return self == .usMDY ? (y, a, c) : (y, c, a)
        }
    }

    /// Reads `HH:MM[:SS[.fraction]][Z|±HH[:]MM]` and shifts the date by the offset and zone.
    @usableFromInline static func applyTime(
        _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, date: Day, zone: SourceTimeZone
    ) -> Day? {
        func two() -> Int? {
            guard i + 1 < b.count, b[i] >= 48, b[i] <= 57, b[i + 1] >= 48, b[i + 1] <= 57 else { return nil }
            defer { i += 2 }
            return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
        }
        guard let hh = two(), hh < 24, i < b.count, b[i] == 58,
            ({
                i += 1
                return true
            })(), let mm = two(), mm < 60
        else { return nil }
        var ss = 0
        if i < b.count, b[i] == 58 {
            i += 1
            guard let s = two(), s <= 60 else { return nil }
            ss = s
            if i < b.count, b[i] == 46 || b[i] == 44 {
                i += 1
                var digits = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    i += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        var offsetSeconds: Int? = nil
        if i < b.count {
            // The zone may follow one space, as billing exports write it (`14:22:10 UTC`,
            // `14:22:10 +0000`); `UTC` and `GMT` (any case) are offset zero.
            if b[i] == 32, i + 1 < b.count { i += 1 }
            if i + 3 == b.count, isUTCName(b, at: i) {
                i += 3
                offsetSeconds = 0
            } else if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
                offsetSeconds = 0
            } else if b[i] == 43 || b[i] == 45 {
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = two(), oh <= 18 else { return nil }
                if i < b.count, b[i] == 58 { i += 1 }
                let om = i < b.count ? two() : 0
                guard let omv = om, omv < 60 else { return nil }
                offsetSeconds = sign * (oh * 3600 + omv * 60)
            }
        }
        guard i == b.count else { return nil }
        // A leap second (:60) ends its minute: it is still the day of 23:59:59.
        let local = Int(date.raw) * 86400 + hh * 3600 + mm * 60 + min(ss, 59)
        // With an explicit offset the instant is known; without one the time is local to the zone.
        let utc = local - (offsetSeconds ?? zone.offset(forLocalSeconds: local))
        let inZone = utc + zone.offset(forUTCSeconds: utc)
        return Day(raw: Int32(floorDiv(inZone, 86400)))
    }

    /// Whether the three bytes at `i` are `UTC` or `GMT` in any case.
    @usableFromInline static func isUTCName(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let word = (b[i] | 0x20, b[i + 1] | 0x20, b[i + 2] | 0x20)
        return word == (0x75, 0x74, 0x63) || word == (0x67, 0x6D, 0x74)
    }

    @inlinable static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// The time zone timestamps of a source are read in: UTC, a fixed offset, or an IANA zone.
public enum SourceTimeZone: Equatable, Sendable {
    case utc
    case fixed(seconds: Int)
    case named(String)

    /// The fixed offsets taken, in seconds: -12:00 to +14:00 (the offsets zones use).
    public static let offsetRange = -12 * 3600...14 * 3600

    /// Parses `UTC`, `+09:00`/`-0500` (hours and minutes 00-59, from -12:00 to +14:00), or an
    /// IANA name such as `Asia/Tokyo`; nil when unknown or out of range.
    public init?(_ text: String) {
        if text.isEmpty || text == "UTC" || text == "Z" {
            self = .utc
            return
        }
        if let f = text.first, f == "+" || f == "-" {
            guard let s = SourceTimeZone.offsetSeconds(text), SourceTimeZone.offsetRange.contains(s) else { return nil }
            self = .fixed(seconds: s)
            return
        }
        guard TimeZone(identifier: text) != nil else { return nil }
        self = .named(text)
    }

    /// `±HH:MM` or `±HHMM` as signed seconds, minutes 00-59; nil when not written so (the range
    /// is not checked).
    static func offsetSeconds(_ text: String) -> Int? {
        let b = Array(text.utf8)
        let digits: [UInt8]
        switch b.count {
        case 6 where b[3] == UInt8(ascii: ":"): digits = [b[1], b[2], b[4], b[5]]
        case 5: digits = Array(b[1...4])
        default: return nil
        }
        guard b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-"),
            digits.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        let d = digits.map { Int($0) - 48 }
        let hours = d[0] * 10 + d[1]
        let minutes = d[2] * 10 + d[3]
        guard minutes <= 59 else { return nil }
        let s = hours * 3600 + minutes * 60
        return b[0] == UInt8(ascii: "-") ? -s : s
    }

    /// The zone as the resolved configuration records it: `UTC`, `+09:00`, or the IANA name.
    public var canonical: String {
        switch self {
        case .utc: return "UTC"
        case .fixed(let s):
            let m = abs(s) / 60
            let hh = m / 60 < 10 ? "0\(m / 60)" : "\(m / 60)"
            let mm = m % 60 < 10 ? "0\(m % 60)" : "\(m % 60)"
            return "\(s < 0 ? "-" : "+")\(hh):\(mm)"
        case .named(let id): return id
        }
    }

    @inlinable public func offset(forUTCSeconds t: Int) -> Int {
        switch self {
        case .utc: return 0
        case .fixed(let s): return s
        case .named(let id):
            return TimeZone(identifier: id)?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) ?? 0
        }
    }

    @inlinable public func offset(forLocalSeconds t: Int) -> Int {
        // Good enough around DST changes: the offset at the instant read as if it were UTC.
        let first = offset(forUTCSeconds: t)
        return offset(forUTCSeconds: t - first)
    }
}
