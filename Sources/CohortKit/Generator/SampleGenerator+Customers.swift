import Foundation

/// One customer's life: attributes, subscription terms, churn, reactivation and early events.
extension SampleGenerator {
    /// Salt of the stream that decides which rows are written with a mistake; a separate stream
    /// keeps clean and dirty samples identical apart from the damaged rows.
    static let dirtSalt: UInt64 = 0xD1B5_4A32_D192_ED03
    /// Salt of the stream that decides which activated customers keep creating reports in their
    /// second and third months (adoption); its own stream leaves every other draw as it was.
    static let habitSalt: UInt64 = 0x8CB9_2BA7_2F3D_8DD7
    static let daysPerMonth = 30.4375

    /// Billing of a customer's contract: how rows are cut and how money is written.
    enum Billing: Int {
        case month = 0
        case quarter = 1
        case year = 2
    }

    /// Generates customers `lo..<hi` (0-based) into `out`.
    func generate(from lo: Int, to hi: Int, into out: ChunkBuffers) {
        let idWidth = max(7, String(customers).count)
        for index in lo..<hi {
            var writer = CustomerWriter(generator: self, number: index + 1, idWidth: idWidth, out: out)
            writer.run()
        }
    }

    /// Writes one customer's rows; holds the state that changes along its timeline.
    struct CustomerWriter {
        let g: SampleGenerator
        /// The customer's number, written zero-padded to `idWidth` digits in its id.
        let number, idWidth: Int
        let out: ChunkBuffers
        /// The customer's draws, and its own streams for the rows written with a mistake
        /// (`dirtSalt`) and for the reports of its later months (`habitSalt`).
        var rng, dirt, habit: SplitMix64
        var subscriptionRows = 0

        // Attributes drawn once.
        var channel = 0
        var firstPlan = 0
        var usd = false
        var activated = false
        var billing = Billing.month
        var termMonths = 1

        // State along the timeline.
        var plan = 0
        var seats = 1
        var hasAddOn = false

        init(generator: SampleGenerator, number: Int, idWidth: Int, out: ChunkBuffers) {
            g = generator
            self.number = number
            self.idWidth = idWidth
            self.out = out
            rng = SplitMix64(seed: generator.seed, stream: UInt64(number))
            dirt = SplitMix64(seed: generator.seed ^ SampleGenerator.dirtSalt, stream: UInt64(number))
            habit = SplitMix64(seed: generator.seed ^ SampleGenerator.habitSalt, stream: UInt64(number))
        }

        mutating func run() {
            if g.shape == .retail {
                runRetail()
                return
            }
            channel = rng.pick(PlantedEffects.channelWeights)
            let region = rng.pick(GeneratorVocabulary.regionWeights)
            usd = region >= GeneratorVocabulary.firstUSDRegion
            let rep = rng.below(GeneratorVocabulary.salesReps.count)
            firstPlan = rng.pick(
                channel == GeneratorVocabulary.partner ? PlantedEffects.partnerPlanMix : PlantedEffects.defaultPlanMix)
            let size = rng.pick(GeneratorVocabulary.companySizeWeights[firstPlan])
            let signup = signupDay(rng.unit())
            let converted = !rng.chance(PlantedEffects.neverConvertedProbability)
            let firstStart = signup + rng.below(15)
            activated = rng.chance(PlantedEffects.activationProbability)
            seats = 1
            if firstPlan > 0 { while seats < 6 && rng.chance(0.35) { seats += 1 } }
            billing = Billing(rawValue: rng.pick(GeneratorVocabulary.billingWeights[firstPlan])) ?? .month
            switch billing {
            case .month: termMonths = rng.chance(0.9) ? 1 : 3
            case .quarter: termMonths = 3
            case .year: termMonths = 12
            }
            plan = firstPlan

            writeCustomerRow(
                signup: signup,
                GeneratorVocabulary.channels[channel], GeneratorVocabulary.salesReps[rep],
                GeneratorVocabulary.regions[region], GeneratorVocabulary.companySizes[size])

            guard converted, firstStart <= g.asOfDay else { return }
            writeEvents(firstStart: firstStart)
            var stretchStart = firstStart
            var stretch = 0
            while true {
                guard let churnEnd = runStretch(from: stretchStart, first: stretch == 0) else { return }
                guard stretch == 0, rng.chance(PlantedEffects.reactivationProbability) else { return }
                stretchStart = churnEnd + 60 + rng.below(181)
                guard stretchStart <= g.asOfDay else { return }
                stretch += 1
                hasAddOn = false
                if plan > 0 && rng.chance(0.3) { plan -= 1 }
            }
        }

        /// A retail customer: channel and store, then monthly box terms back to back until a
        /// term ends in churn (probability `RetailEffects.termChurnProbability` times the store's and
        /// channel's multipliers), with one possible return 30 to 120 days later.
        mutating func runRetail() {
            channel = rng.pick(RetailEffects.channelWeights)
            let store = rng.pick(RetailEffects.storeWeights)
            let signup = signupDay(rng.unit())
            let converted = !rng.chance(RetailEffects.neverConvertedProbability)
            billing = .month
            termMonths = 1

            writeCustomerRow(
                signup: signup, GeneratorVocabulary.retailChannels[channel], GeneratorVocabulary.stores[store])

            var s = signup + rng.below(7)
            guard converted, s <= g.asOfDay else { return }
            let churn = min(
                0.95,
                RetailEffects.termChurnProbability * RetailEffects.storeHazardMultipliers[store]
                    * RetailEffects.channelHazardMultipliers[channel])
            var returned = false
            while true {
                let end = GeneratorCalendar.addMonths(s, 1)
                if end > g.asOfDay {
                    writeSubscription(
                        product: GeneratorVocabulary.box, plan: GeneratorVocabulary.boxPlan,
                        start: s, end: nil, monthlyMinor: RetailEffects.monthlyPriceJPY)
                    return
                }
                writeSubscription(
                    product: GeneratorVocabulary.box, plan: GeneratorVocabulary.boxPlan,
                    start: s, end: end, monthlyMinor: RetailEffects.monthlyPriceJPY)
                if rng.chance(churn) {
                    writeCancellation(day: max(s, end - 1 - rng.below(20)))
                    guard !returned, rng.chance(RetailEffects.returnProbability) else { return }
                    returned = true
                    s = end + 30 + rng.below(91)
                    guard s <= g.asOfDay else { return }
                } else {
                    s = end
                }
            }
        }

        /// Signup day with density rising linearly over the span (`1 + x`), so later months
        /// bring more customers, as a growing business does.
        func signupDay(_ u: Double) -> Int {
            let growth = 0.5
            let x = ((1 + 2 * growth * u * (1 + growth / 2)).squareRoot() - 1) / growth
            let span = g.asOfDay - g.startDay + 1
            return g.startDay + min(Int(x * Double(span)), span - 1)
        }

        /// Days from `start` to the churn decision, from the piecewise-exponential hazard of
        /// `PlantedEffects` (the early period and the paid_social factor apply to the first stretch).
        mutating func churnDecisionDays(first: Bool) -> Int {
            var common = PlantedEffects.planHazardMultipliers[firstPlan]
            if activated { common *= PlantedEffects.activatedHazardMultiplier }
            if channel == GeneratorVocabulary.partner { common *= PlantedEffects.partnerHazardMultiplier }
            var early = first ? PlantedEffects.baseMonthlyHazardEarly : PlantedEffects.baseMonthlyHazardLate
            if first && channel == GeneratorVocabulary.paidSocial {
                early *= PlantedEffects.paidSocialEarlyHazardMultiplier
            }
            let earlyRate = early * common / SampleGenerator.daysPerMonth
            let lateRate = PlantedEffects.baseMonthlyHazardLate * common / SampleGenerator.daysPerMonth
            let earlyDays = Double(PlantedEffects.earlyPeriodDays)
            let e = -log(1 - rng.unit())
            let t = e < earlyRate * earlyDays ? e / earlyRate : earlyDays + (e - earlyRate * earlyDays) / lateRate
            return Int(min(t, 1_000_000))
        }

        /// Writes one activity stretch's terms from `start`; returns the exclusive end day when the
        /// customer churned by as_of, nil when it is still active (or its renewal lies past as_of).
        mutating func runStretch(from start: Int, first: Bool) -> Int? {
            let decision = start + churnDecisionDays(first: first)
            var s = start
            while true {
                let termEnd = GeneratorCalendar.addMonths(s, termMonths)
                if decision < termEnd {
                    var end = termEnd
                    if billing == .month {
                        // Monthly billing: the cancellation takes effect at the next monthly boundary.
                        var j = 1
                        while GeneratorCalendar.addMonths(s, j) <= decision { j += 1 }
                        end = GeneratorCalendar.addMonths(s, j)
                    }
                    if decision <= g.asOfDay {
                        writeTerm(start: s, end: end)
                        writeCancellation(day: decision)
                        return end <= g.asOfDay ? end : nil
                    }
                    writeTerm(start: s, end: nil)
                    return nil
                }
                if termEnd > g.asOfDay {
                    writeTerm(start: s, end: nil)
                    return nil
                }
                writeTerm(start: s, end: termEnd)
                var nextStart = termEnd
                // A late renewal never straddles as_of, where it would read as an unrecorded churn.
                if termEnd + PlantedEffects.maxRenewalGapDays < g.asOfDay
                    && rng.chance(PlantedEffects.renewalGapProbability)
                {
                    nextStart += 1 + rng.below(PlantedEffects.maxRenewalGapDays)
                }
                renew(startingOn: nextStart)
                s = nextStart
            }
        }

        /// Plan, seat and add-on changes at a renewal.
        mutating func renew(startingOn day: Int) {
            let m = Double(termMonths)
            let april = GeneratorCalendar.civil(day).month == 4
            let upgrade = PlantedEffects.upgradeMonthlyRate * m * (april ? PlantedEffects.aprilUpgradeMultiplier : 1)
            if plan < 3 && rng.chance(upgrade) {
                plan += 1
            } else if plan > 0 && rng.chance(PlantedEffects.downgradeMonthlyRate * m) {
                plan -= 1
            }
            if rng.chance(PlantedEffects.seatExpansionMonthlyRate * m) {
                seats += rng.chance(0.3) ? 2 : 1
            } else if seats > 1 && rng.chance(PlantedEffects.seatContractionMonthlyRate * m) {
                seats -= 1
            }
            if !hasAddOn {
                if plan >= 1 && rng.chance(PlantedEffects.crossSellMonthlyRate * m) { hasAddOn = true }
            } else if rng.chance(PlantedEffects.addOnDropMonthlyRate * m) {
                hasAddOn = false
            }
        }

        /// One customers.csv row: the id, the signup day, then the shape's columns in order.
        mutating func writeCustomerRow(signup: Int, _ columns: [UInt8]...) {
            let c = out.files[0]
            c.reserve(256)
            writeCustomerID(c)
            c.byte(UInt8(ascii: ","))
            c.date(signup)
            for column in columns {
                c.byte(UInt8(ascii: ","))
                c.bytes(column)
            }
            c.byte(UInt8(ascii: "\n"))
            out.summary.customers += 1
        }

        func writeCustomerID(_ b: GeneratorByteBuffer) {
            b.byte(UInt8(ascii: "C"))
            b.int(number, width: idWidth)
        }

        /// Writes the core term and, when held, the analytics term over the same days.
        mutating func writeTerm(start: Int, end: Int?) {
            var listPrice = (usd ? GeneratorVocabulary.listPriceUSD : GeneratorVocabulary.listPriceJPY)[plan] * seats
            var addOnPrice = usd ? GeneratorVocabulary.addOnPriceUSD : GeneratorVocabulary.addOnPriceJPY
            if start >= g.priceChangeDay {
                listPrice = listPrice * (100 + PlantedEffects.priceIncreasePercent) / 100
                addOnPrice = addOnPrice * (100 + PlantedEffects.priceIncreasePercent) / 100
            }
            writeSubscription(
                product: GeneratorVocabulary.core, plan: GeneratorVocabulary.plans[plan],
                start: start, end: end, monthlyMinor: listPrice)
            if hasAddOn {
                writeSubscription(
                    product: GeneratorVocabulary.analytics, plan: GeneratorVocabulary.analytics,
                    start: start, end: end, monthlyMinor: addOnPrice)
            }
        }

        mutating func writeSubscription(product: [UInt8], plan: [UInt8], start: Int, end: Int?, monthlyMinor: Int) {
            subscriptionRows += 1
            // 0: none, 1: unparseable start date, 2: negative amount, 3: unknown currency.
            var mistake = 0
            if g.dirtyRatio > 0 && dirt.chance(g.dirtyRatio) { mistake = 1 + dirt.below(3) }
            let b = out.files[1]
            b.reserve(256)
            b.byte(UInt8(ascii: "S"))
            b.int(number, width: idWidth)
            b.byte(UInt8(ascii: "-"))
            b.int(subscriptionRows, width: 3)
            b.byte(UInt8(ascii: ","))
            writeCustomerID(b)
            b.byte(UInt8(ascii: ","))
            b.bytes(product)
            b.byte(UInt8(ascii: ","))
            b.bytes(plan)
            b.byte(UInt8(ascii: ","))
            if mistake == 1 {
                // A day-month swap typed by hand: month 13 and above cannot parse.
                let c = GeneratorCalendar.civil(start)
                b.int(c.year, width: 4)
                b.byte(UInt8(ascii: "-"))
                b.int(13 + c.day % 18, width: 2)
                b.byte(UInt8(ascii: "-"))
                b.int(c.month, width: 2)
            } else {
                b.date(start)
            }
            b.byte(UInt8(ascii: ","))
            if let end { b.date(end) }
            b.byte(UInt8(ascii: ","))
            let decimals = usd ? 2 : 0
            let sign = mistake == 2 ? -1 : 1
            switch billing {
            case .month:
                b.money(sign * monthlyMinor, decimals: decimals)
                b.byte(UInt8(ascii: ","))
                b.byte(UInt8(ascii: ","))
            case .quarter:
                b.byte(UInt8(ascii: ","))
                b.money(sign * monthlyMinor * 3, decimals: decimals)
                b.byte(UInt8(ascii: ","))
            case .year:
                b.byte(UInt8(ascii: ","))
                b.money(
                    sign * monthlyMinor * 12 * (100 - PlantedEffects.annualDiscountPercent) / 100, decimals: decimals)
                b.byte(UInt8(ascii: ","))
            }
            b.bytes(GeneratorVocabulary.billingPeriods[billing.rawValue])
            b.byte(UInt8(ascii: ","))
            b.bytes(mistake == 3 ? GeneratorVocabulary.eur : (usd ? GeneratorVocabulary.usd : GeneratorVocabulary.jpy))
            b.byte(UInt8(ascii: "\n"))
            out.summary.subscriptions += 1
            if mistake != 0 { out.summary.dirtySubscriptions += 1 }
        }

        /// One cancellation row; the reason mix leans on what drove the churn.
        mutating func writeCancellation(day: Int) {
            var weights = GeneratorVocabulary.baseReasonWeights
            if firstPlan == 0 { weights[0] += 15 }
            if firstPlan == 3 {
                weights[2] += 10
                weights[1] += 8
            }
            if channel == GeneratorVocabulary.paidSocial {
                weights[3] += 10
                weights[7] += 8
            }
            if !activated {
                weights[6] += 10
                weights[7] += 10
            }
            let reason = rng.pick(weights)
            let freeText = rng.chance(GeneratorVocabulary.freeTextReasonProbability)
            let freeTextIndex = rng.below(GeneratorVocabulary.freeTextReasons.count)
            let hasComment = rng.chance(GeneratorVocabulary.commentProbability)
            let commentIndex = rng.below(GeneratorVocabulary.comments.count)

            let b = out.files[2]
            b.reserve(512)
            writeCustomerID(b)
            b.byte(UInt8(ascii: ","))
            b.date(day)
            b.byte(UInt8(ascii: ","))
            b.bytes(freeText ? GeneratorVocabulary.freeTextReasons[freeTextIndex] : GeneratorVocabulary.reasons[reason])
            b.byte(UInt8(ascii: ","))
            if hasComment { b.bytes(GeneratorVocabulary.comments[commentIndex]) }
            b.byte(UInt8(ascii: "\n"))
            out.summary.cancellations += 1
        }

        /// Logins and report creations in the first 60 days after `firstStart`, and for activated
        /// customers who adopt the feature reports in their second and third 30-day months, in
        /// time order.
        mutating func writeEvents(firstStart: Int) {
            let users = min(seats, 3)
            // Each event packed as minute-of-window << 8 | kind << 4 | user, so sorting orders by time.
            var events: [Int] = []
            events.reserveCapacity(8)
            for _ in 0..<(1 + rng.below(4)) {
                events.append(Self.eventKey(day: rng.below(60), kind: 0, users: users, from: &rng))
            }
            if activated {
                for _ in 0..<(1 + rng.below(2)) {
                    events.append(
                        Self.eventKey(
                            day: rng.below(PlantedEffects.activationWindowDays - 1), kind: 1, users: users, from: &rng))
                }
            } else if rng.chance(PlantedEffects.lateFirstReportProbability) {
                events.append(Self.eventKey(day: 35 + rng.below(25), kind: 1, users: users, from: &rng))
            }
            if activated && habit.chance(PlantedEffects.adoptionProbability) {
                // A report in month 1 (days 30 to 59), and in month 2 (days 60 to 89) for most.
                events.append(Self.eventKey(day: 30 + habit.below(30), kind: 1, users: users, from: &habit))
                if habit.chance(PlantedEffects.thirdMonthReportProbability) {
                    events.append(Self.eventKey(day: 60 + habit.below(30), kind: 1, users: users, from: &habit))
                }
            }
            events.sort()
            let b = out.files[3]
            for key in events {
                let minute = key >> 8
                let day = firstStart + minute / 1440
                if day > g.asOfDay { continue }
                let minuteOfDay = minute % 1440
                b.reserve(256)
                b.bytes(Self.eventPrefix)
                writeCustomerID(b)
                b.bytes(Self.timestampKey)
                b.date(day)
                b.byte(UInt8(ascii: "T"))
                b.int(minuteOfDay / 60, width: 2)
                b.byte(UInt8(ascii: ":"))
                b.int(minuteOfDay % 60, width: 2)
                b.bytes(Self.secondsAndEventKey)
                b.bytes((key >> 4) & 0xF == 1 ? GeneratorVocabulary.reportCreated : GeneratorVocabulary.login)
                b.bytes(Self.userKey)
                b.int(number, width: idWidth)
                b.byte(UInt8(ascii: "-"))
                b.int(key & 0xF)
                b.bytes(Self.eventSuffix)
                out.summary.events += 1
            }
        }

        /// An event's sort key (minute of the day's working hours, kind, user), its time and user
        /// drawn from `stream` (the adoption habit's reports come from a stream of their own).
        static func eventKey(day: Int, kind: Int, users: Int, from stream: inout SplitMix64) -> Int {
            let minute = day * 1440 + 8 * 60 + stream.below(12 * 60)
            return minute << 8 | kind << 4 | (1 + stream.below(users))
        }

        static let eventPrefix = Array("{\"customer_id\":\"".utf8)
        static let timestampKey = Array("\",\"timestamp\":\"".utf8)
        static let secondsAndEventKey = Array(":00Z\",\"event\":\"".utf8)
        static let userKey = Array("\",\"user_id\":\"U".utf8)
        static let eventSuffix = Array("\"}\n".utf8)
    }
}
