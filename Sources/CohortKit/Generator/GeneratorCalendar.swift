/// Calendar arithmetic on integer days since 1970-01-01 for the sample generator: the
/// conversions are `Day`'s (one implementation of the civil calendar in the code base); this adds
/// the month steps billing uses.
enum GeneratorCalendar {
    /// Days since 1970-01-01 of the civil date `year-month-day`.
    @inline(__always)
    static func days(year: Int, month: Int, day: Int) -> Int { Day.daysFromCivil(year, month, day) }

    /// The civil date of `days` since 1970-01-01.
    @inline(__always)
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) { Day(raw: Int32(days)).civil }

    /// Number of days in `month` of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int { Day.daysIn(year: year, month: month) }

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
