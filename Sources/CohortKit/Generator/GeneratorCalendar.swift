/// Proleptic Gregorian date arithmetic on integer days since 1970-01-01, for the sample generator.
///
/// Self-contained so the generator formats millions of dates without Foundation; the algorithms
/// are Howard Hinnant's `days_from_civil` / `civil_from_days`.
enum GeneratorCalendar {
    /// Days since 1970-01-01 of the civil date `year-month-day`.
    @inline(__always)
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of `days` since 1970-01-01.
    @inline(__always)
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Number of days in `month` of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `days` moved by `months` calendar months, the day of month clamped to the target month's
    /// length (2024-01-31 + 1 month = 2024-02-29), as billing systems renew.
    @inline(__always)
    static func addMonths(_ days: Int, _ months: Int) -> Int {
        let c = civil(days)
        let index = c.year * 12 + (c.month - 1) + months
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        return self.days(year: year, month: month, day: min(c.day, daysInMonth(year: year, month: month)))
    }

    /// The month index `year * 12 + month - 1` of `days`.
    static func monthIndex(_ days: Int) -> Int {
        let c = civil(days)
        return c.year * 12 + c.month - 1
    }

    /// The first day of month index `index` (`year * 12 + month - 1`).
    static func firstDay(ofMonthIndex index: Int) -> Int {
        days(year: index / 12, month: index % 12 + 1, day: 1)
    }
}
